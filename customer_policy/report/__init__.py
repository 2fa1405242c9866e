from . import customer_kpi_report
from . import customer_kpi_report_xlsx
