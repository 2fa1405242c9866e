from . import test_event_commission
