from . import test_customer_survey
