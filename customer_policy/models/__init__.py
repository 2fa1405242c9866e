from . import res_company
from . import res_config_settings
from . import res_partner
from . import resource_calendar
from . import customer_tier
from . import customer_agreement
from . import customer_agreement_installment
