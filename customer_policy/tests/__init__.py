from . import test_access_csv
from . import test_demo
from . import test_groups
from . import test_install
from . import test_partner_access
from . import test_settings
from . import test_ui
from . import test_working_time
