from . import customer_tier_change_wizard
from . import customer_lookup_line
from . import customer_access_lookup
from . import customer_access_refuse_wizard
from . import customer_handover_wizard
from . import customer_agreement_reason_wizard
from . import customer_ledger_report
from . import customer_complaint_intake
