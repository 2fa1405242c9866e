from . import test_crons
from . import test_install
from . import test_installment_invoice
from . import test_ledger_sync
from . import test_manual_payments
from . import test_performance
from . import test_ui
