from . import test_customer_survey
from . import test_customer_survey_batch
