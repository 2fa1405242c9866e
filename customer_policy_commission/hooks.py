from odoo import fields


def post_init_hook(env):
    """Credit the agreements made before the addon, and start the commission now.

    Each agreement gets its default credit (the customer's developer, the owner of
    a renewal). A company that already collected money and has no commission yet
    starts its commission today: the first payment after the installation must
    not pay the commission of every collection made before (the date can be moved
    in the settings).
    """
    env["customer.agreement"].search(
        [("credit_ids", "=", False)]
    )._commission_set_default_credits()
    today = fields.Date.context_today(env["res.company"])
    for company in env["res.company"].search([("commission_date_start", "=", False)]):
        collected = env["customer.payment"].search_count(
            [("company_id", "=", company.id), ("state", "=", "posted")], limit=1
        )
        booked = env["customer.commission.line"].search_count(
            [("company_id", "=", company.id)], limit=1
        )
        if collected and not booked:
            company.commission_date_start = today


def uninstall_hook(env):
    """Let the uninstall delete the commission rules (its demo and data ones).

    The agreements point to their rule with ``ondelete='restrict'``, a column
    this addon adds and its uninstall drops: Odoo deletes the addon's records
    before its columns, so the rules still referenced could not be deleted and
    were queried again after their table was dropped (errors in the log).
    """
    env.cr.execute(
        "UPDATE customer_agreement SET commission_rule_id = NULL"
        " WHERE commission_rule_id IS NOT NULL"
    )
