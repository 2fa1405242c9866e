from . import hr_expense
from . import hr_expense_sheet
from . import product_template
from . import res_partner
