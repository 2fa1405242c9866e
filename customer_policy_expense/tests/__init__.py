from . import test_customer_figures
from . import test_install
from . import test_reimbursement
from . import test_ui
