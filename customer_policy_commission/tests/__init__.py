from . import test_commission_arithmetic
from . import test_commission_rule
from . import test_commission_credit
from . import test_commission_line
from . import test_commission_statement
from . import test_commission_access
from . import test_commission_cron
from . import test_commission_ui
