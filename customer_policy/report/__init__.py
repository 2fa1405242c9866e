from . import customer_visit_compliance_report
from . import customer_complaint_report
from . import customer_kpi_report
from . import customer_kpi_report_xlsx
from . import customer_kpi_report_snapshot
