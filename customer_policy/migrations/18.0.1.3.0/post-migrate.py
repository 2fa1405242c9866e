"""18.0.1.3.0: a return schedule knows the agreement it follows, and the end of an
agreement no longer ends the return visits; the annual contract amount counts
every agreement Legal approved in the last 12 months."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    # Schedules made by an agreement's activation carry its number and title and
    # started at its start (or signing): link them, and drop the end date they
    # took from the agreement, so that the project stays in service.
    cr.execute(
        """
        UPDATE customer_return_schedule s
           SET agreement_id = a.id,
               end_date = CASE WHEN s.end_date = a.date_end
                               THEN NULL ELSE s.end_date END
          FROM customer_agreement a
         WHERE s.agreement_id IS NULL
           AND a.partner_id = s.partner_id
           AND a.name != '/'
           AND s.name = a.name || ' ' || a.title
           AND s.delivery_date = COALESCE(a.date_start, a.date_signed)
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._cron_refresh_annual_contract_amounts(batch_size=10**9)
