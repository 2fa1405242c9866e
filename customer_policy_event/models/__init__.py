from . import event_event
from . import customer_event_invitation
from . import customer_event_invitation_list
from . import customer_event_helper_request
from . import customer_event_dispute
