from . import customer_reception_walk_in
from . import customer_reception_override
