from . import customer_agreement
from . import customer_reception_visit
