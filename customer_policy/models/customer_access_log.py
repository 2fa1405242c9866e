from odoo import api, fields, models
from odoo.http import request as http_request
from odoo.tools import SQL

_PURGE_BATCH = 10000


class CustomerAccessLog(models.Model):
    """Who opened, exported or was granted which customer's archive, and when.

    Written as superuser by the operations it traces; Directors read it, nobody
    writes or deletes it through access rights (the purge cron runs as superuser).
    """

    _name = "customer.access.log"
    _description = "Customer Archive Access Log"
    _order = "id desc"
    _rec_name = "partner_name"

    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        ondelete="set null",
        readonly=True,
    )
    # Kept when the customer is deleted: the trace must survive its subject.
    partner_name = fields.Char(string="Customer Name", readonly=True)
    action = fields.Selection(
        selection=[
            ("read", "Opened"),
            ("export", "Exported"),
            ("grant", "Access granted"),
            ("revoke", "Access revoked"),
            ("expire", "Access expired"),
        ],
        required=True,
        index=True,
        readonly=True,
    )
    request_id = fields.Many2one(
        comodel_name="customer.access.request",
        string="Access Request",
        ondelete="set null",
        readonly=True,
    )
    detail = fields.Text(readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )

    @api.model
    def _customer_policy_ip_address(self):
        try:
            return http_request.httprequest.remote_addr if http_request else False
        except RuntimeError:
            # Outside of an HTTP request (cron, shell, tests).
            return False

    @api.model
    def _customer_policy_log(self, partners, action, requests=None, detail=None):
        """Trace ``action`` on ``partners`` in one batched insert.

        With ``requests``, one entry per request for its requester (grants);
        otherwise one entry per partner for the current user.
        """
        ip_address = self._customer_policy_ip_address()
        company = self.env.company
        vals_list = []
        if requests is not None:
            for req in requests.sudo():
                vals_list.append(
                    {
                        "user_id": req.requester_id.id,
                        "partner_id": req.partner_id.id,
                        "partner_name": req.partner_id.display_name,
                        "action": action,
                        "request_id": req.id,
                        "detail": detail,
                        "ip_address": ip_address,
                        "company_id": (req.company_id or company).id,
                    }
                )
        else:
            for partner in partners.sudo():
                vals_list.append(
                    {
                        "user_id": self.env.uid,
                        "partner_id": partner.id,
                        "partner_name": partner.display_name,
                        "action": action,
                        "detail": detail,
                        "ip_address": ip_address,
                        "company_id": (partner.company_id or company).id,
                    }
                )
        return self.sudo().create(vals_list) if vals_list else self.sudo()

    @api.model
    def _cron_purge(self):
        """Delete the entries older than their company's retention, in batches."""
        now = fields.Datetime.now()
        total = 0
        while True:
            # Plain SQL: a purge of millions of lines must not load them.
            self.env.cr.execute(
                SQL(
                    """
                    DELETE FROM customer_access_log WHERE id IN (
                        SELECT log.id
                          FROM customer_access_log log
                          JOIN res_company company ON company.id = log.company_id
                         WHERE log.create_date < %s::timestamp - make_interval(
                               days => COALESCE(NULLIF(
                                   company.customer_access_log_retention_days, 0), 365))
                         LIMIT %s)
                    """,
                    now,
                    _PURGE_BATCH,
                )
            )
            deleted = self.env.cr.rowcount
            total += deleted
            if deleted < _PURGE_BATCH:
                break
            self.env["ir.cron"]._notify_progress(done=total, remaining=1)
        self.env["ir.cron"]._notify_progress(done=total, remaining=0)
        self.invalidate_model()
        return total
