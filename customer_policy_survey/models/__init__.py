from . import customer_tier
from . import res_company
from . import res_config_settings
from . import customer_survey_invitation
from . import mail_template
from . import res_partner
from . import survey_user_input
