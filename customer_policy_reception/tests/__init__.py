from . import test_rotation
from . import test_reception
from . import test_reception_access
from . import test_reception_ui
