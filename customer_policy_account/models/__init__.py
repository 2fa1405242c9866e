from . import account_move
from . import account_partial_reconcile
from . import customer_agreement
from . import customer_agreement_installment
from . import customer_payment
from . import res_company
from . import res_config_settings
