from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerServiceDuty(models.Model):
    """Holiday and after-hours duty (节假日值班): who answers major complaints
    received outside working time, planned by the service manager."""

    _name = "customer.service.duty"
    _description = "Service Duty (节假日值班)"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="On Duty",
        required=True,
        index=True,
        check_company=True,
        domain=[("share", "=", False)],
    )
    date_start = fields.Datetime(string="From", required=True, index=True)
    date_end = fields.Datetime(string="To", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    note = fields.Char(help="e.g. the phone number to reach the person on duty.")

    # === COMPUTE METHODS === #

    @api.depends("user_id", "date_start", "date_end")
    def _compute_display_name(self):
        for duty in self:
            if not (duty.user_id and duty.date_start and duty.date_end):
                duty.display_name = duty.user_id.name or ""
                continue
            duty.display_name = self.env._(
                "%(user)s, %(start)s - %(end)s",
                user=duty.user_id.name,
                start=fields.Datetime.context_timestamp(duty, duty.date_start).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                end=fields.Datetime.context_timestamp(duty, duty.date_end).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for duty in self:
            if duty.date_end <= duty.date_start:
                raise ValidationError(
                    self.env._(
                        "A duty must end after it starts (%(user)s).",
                        user=duty.user_id.name,
                    )
                )

    @api.constrains("user_id")
    def _check_user(self):
        for duty in self:
            if duty.user_id.share or not duty.user_id.active:
                raise ValidationError(
                    self.env._(
                        "Only an active employee can be on duty, not %(user)s.",
                        user=duty.user_id.name,
                    )
                )

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_on_duty(self, company, moments):
        """{moment: the user on duty then} for the ``moments`` (naive UTC
        datetimes) of ``company``'s duties: the duty that started first when
        several cover a moment. One query for all the moments."""
        if not moments:
            return {}
        duties = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("date_start", "<=", max(moments)),
                ("date_end", ">", min(moments)),
            ],
            order="date_start, id",
        )
        result = {}
        for moment in moments:
            duty = next(
                (d for d in duties if d.date_start <= moment < d.date_end), None
            )
            if duty and duty.user_id.active:
                result[moment] = duty.user_id
        return result
