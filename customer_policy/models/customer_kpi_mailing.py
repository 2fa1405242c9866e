import base64
import logging
from contextlib import ExitStack

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models

from ..tools.cron import notify_progress
from ..tools.sql import insert_unless_exists
from ..tools.xlsx import StreamingWorkbook

_logger = logging.getLogger(__name__)

# Workbooks written and mailed per call of the cron runner (see
# _cron_send_kpi_mailings): a call computes the month of the KPI report once per
# company (13 s at 100,000 customers), then each workbook of a few dozen rows
# takes a fraction of a second.
KPI_MAILINGS_PER_CALL = 25


class CustomerKpiMailing(models.Model):
    """The monthly KPI mail (月度考核报表): each department manager gets the KPI
    workbook of the departments they lead, each Director the company's, for the
    month just ended. One record per month and recipient, claimed before the
    mail is written: the mail goes once, whatever the number of runs or
    workers."""

    _name = "customer.kpi.mailing"
    _description = "Monthly KPI Mail"
    _inherit = "mail.thread"
    _order = "month desc, id desc"
    _sql_constraints = (
        (
            "month_recipient_uniq",
            "unique(month, company_id, user_id)",
            "The monthly KPI mail goes once a month to each recipient.",
        ),
    )

    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    user_id = fields.Many2one(
        "res.users", string="Recipient", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    team_ids = fields.Many2many(
        "crm.team",
        string="Departments",
        readonly=True,
        help="The departments the workbook covers; empty: the whole company.",
    )
    attachment_id = fields.Many2one("ir.attachment", string="Workbook", readonly=True)

    # === COMPUTE METHODS === #

    @api.depends("month", "user_id.name")
    def _compute_display_name(self):
        for mailing in self:
            month = mailing.month
            mailing.display_name = (
                f"{month.year}-{month.month:02d} {mailing.user_id.name or ''}"
                if month
                else ""
            )

    # === ACTION METHODS === #

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_recipients(self, company):
        """[(user, departments)]: the Directors with the whole company (no
        department), then each other manager with the departments they lead."""
        directors = self.env["res.users"]._customer_policy_directors(company)
        recipients = [(user, self.env["crm.team"]) for user in directors]
        teams = (
            self.env["crm.team"]
            .sudo()
            .search(
                [("user_id", "!=", False), ("company_id", "in", [False, company.id])]
            )
        )
        for manager, led in teams.grouped("user_id").items():
            if (
                manager.active
                and not manager.share
                and manager not in directors
                and company in manager.company_ids
            ):
                recipients.append((manager, led))
        return recipients

    @api.model
    def _customer_policy_claim(self, month, user, teams, company):
        """The mailing record of ``month`` for ``user``, or None when an earlier
        run or another worker has it already."""
        self.flush_model()
        now = fields.Datetime.now()
        mailing_id = insert_unless_exists(
            self.env.cr,
            self._table,
            {
                "month": month,
                "user_id": user.id,
                "company_id": company.id,
                "create_uid": self.env.uid,
                "write_uid": self.env.uid,
                "create_date": now,
                "write_date": now,
            },
            ("month", "company_id", "user_id"),
        )
        if not mailing_id:
            return None
        mailing = self.sudo().browse(mailing_id)
        if teams:
            mailing.team_ids = teams
        return mailing

    @api.model
    def _customer_policy_send_due(self, today=None, limit=None):
        """Send the KPI mails of the month before ``today`` not sent yet, at most
        ``limit`` (all when ``None``): ``(mailings sent, recipients still
        waiting)``."""
        today = today or fields.Date.context_today(self)
        month = today.replace(day=1) - relativedelta(months=1)
        sent = self.browse()
        waiting = 0
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            done = set(
                self.sudo()
                .search([("month", "=", month), ("company_id", "=", company.id)])
                .user_id.ids
            )
            with ExitStack() as stack:
                report = None
                for user, teams in self._customer_policy_recipients(company):
                    if user.id in done:
                        continue
                    if limit is not None and len(sent) >= limit:
                        waiting += 1
                        continue
                    mailing = self._customer_policy_claim(month, user, teams, company)
                    if not mailing:
                        continue
                    if report is None:
                        # The company's month computed once for all its
                        # recipients; each reads it through their own rules.
                        report = stack.enter_context(
                            self.env["customer.kpi.report"]._customer_policy_snapshot(
                                company, month, month + relativedelta(months=1)
                            )
                        )
                    mailing._customer_policy_fill_and_send(report)
                    sent |= mailing
        return sent, waiting

    def _customer_policy_domain(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            *self.env["customer.kpi.report"]._customer_policy_month_domain(self.month),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _customer_policy_fill_and_send(self, report=None):
        """Write the workbook as the recipient — it holds only the rows they may
        read — and mail it to them, in their language. ``report``: the KPI
        report model to read (a snapshot of the month), else the view's."""
        self.ensure_one()
        recipient = self.user_id
        Kpi = (
            (report if report is not None else self.env["customer.kpi.report"])
            .with_user(recipient)
            .with_company(self.company_id)
            .with_context(lang=recipient.lang or self.env.lang)
        )
        book = StreamingWorkbook()
        try:
            title = Kpi._customer_policy_xlsx(book, self._customer_policy_domain())
        except BaseException:
            book.close()
            raise
        content = book.close()
        env = Kpi.env
        # The month apart: Odoo's term extractor evaluates the arguments of _().
        month = f"{self.month.year}-{self.month.month:02d}"
        name = env._("KPI %(month)s", month=month)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{name}.xlsx",
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                }
            )
        )
        self.sudo().attachment_id = attachment
        totals = Kpi._customer_policy_summary(self._customer_policy_domain())
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._("%(report)s is attached.", report=title),
            Markup("").join(
                Markup("<li>%s: %s</li>") % (label, value) for label, value in totals
            ),
        )
        self.sudo().message_post(
            subject=name,
            body=body,
            partner_ids=recipient.partner_id.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    # === CRON METHODS === #

    @api.model
    def _cron_send_kpi_mailings(self):
        """Daily: on the first run of a month, send last month's KPI workbooks;
        later runs find them sent and do nothing.

        Each workbook is the recipient's own report, written as them from the
        company's month of the KPI report computed once per call: under the
        cron runner a call sends ``KPI_MAILINGS_PER_CALL`` of them and reports
        the rest, which the runner sends in its next calls, each committed;
        called from code, all at once.
        """
        progress_id = self.env.context.get("ir_cron_progress_id")
        sent, waiting = self._customer_policy_send_due(
            limit=KPI_MAILINGS_PER_CALL if progress_id else None
        )
        notify_progress(self.env, len(sent), waiting)
        _logger.info("Monthly KPI mails sent: %s, waiting: %s", len(sent), waiting)
