from . import customer_visit_compliance_report
from . import customer_complaint_report
