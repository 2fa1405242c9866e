"""Context flags that only the addon's own code can raise.

A checked path (registration, ownership transfer, import) tells the guards of
``res.partner.write`` that it has run the policy's checks. It does so with a
context key, as Odoo does, but the value is this module's private token, not
``True``: a context sent by the web client or over RPC is JSON, so it can carry
``True`` or any string, never this very object. A guard therefore honours the
flag only from the server's own code, and nothing needs stripping from client
contexts.
"""

_TOKEN = object()

# Registration (备案) by ``action_register`` and the paths that run its checks.
REGISTRATION = "customer_policy_registration"
# A change of who developed a customer: registration and ownership transfers.
TRANSFER = "customer_policy_transfer"
# Records loaded by ``load()`` (Import records), not by data files.
IMPORT = "customer_policy_import"


def trusted(records, *flags):
    """``records`` with the given flags raised for the code it calls."""
    return records.with_context(**dict.fromkeys(flags, _TOKEN))


def is_trusted(env, flag):
    """Whether the server's own code raised ``flag`` in ``env``'s context."""
    return env.context.get(flag) is _TOKEN
