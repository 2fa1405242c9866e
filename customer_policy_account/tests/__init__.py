from . import test_ledger_sync
