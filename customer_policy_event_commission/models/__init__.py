from . import customer_agreement
from . import customer_event_invitation
