from . import test_cutoff
from . import test_invitation
from . import test_invitation_access
from . import test_invitation_ui
