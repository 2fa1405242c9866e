from . import customer_reception_summary
