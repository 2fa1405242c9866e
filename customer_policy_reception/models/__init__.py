from . import customer_reception_desk
from . import customer_reception_turn
from . import customer_reception_visit
from . import customer_reception_violation
