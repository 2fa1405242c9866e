from . import test_reception_commission
