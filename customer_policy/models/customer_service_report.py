import base64
import io
import logging
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Friday, the day of the weekly report.
_FRIDAY = 4


class CustomerServiceReport(models.Model):
    """A service report sent: the weekly service report (服务周报) of a service or
    department manager, the monthly service supervision report (服务监督报告) of a
    Director. One per period and recipient, kept with its workbook: the record is
    what makes the sending happen once, whatever the number of runs or workers."""

    _name = "customer.service.report"
    _description = "Service Report"
    _inherit = "mail.thread"
    _order = "date_from desc, kind, id desc"
    _sql_constraints = (
        (
            "period_recipient_uniq",
            "unique(kind, date_from, company_id, user_id)",
            "A service report goes once per period to each recipient.",
        ),
    )

    kind = fields.Selection(
        [
            ("weekly", "Weekly Service Report"),
            ("monthly", "Monthly Service Supervision Report"),
        ],
        required=True,
        readonly=True,
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Recipient", required=True, readonly=True, index=True
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Departments",
        readonly=True,
        help="The departments the report covers; empty: the whole company.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Workbook", readonly=True)
    received_count = fields.Integer(string="Received", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    response_on_time_rate = fields.Float(
        string="Response on Time (%)", readonly=True, aggregator="avg"
    )
    resolution_on_time_rate = fields.Float(
        string="Resolution on Time (%)", readonly=True, aggregator="avg"
    )
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    satisfaction_avg = fields.Float(
        string="Satisfaction", readonly=True, aggregator="avg"
    )
    repeat_count = fields.Integer(string="Repeat Contacts", readonly=True)

    # === COMPUTE METHODS === #

    @api.depends("kind", "date_from", "date_to")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.display_name = (
                f"{labels.get(report.kind, '')} {report.date_from} - {report.date_to}"
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
    def _customer_policy_periods(self, company, now):
        """{kind: (first day, last day)} of the reports due in ``company`` at ``now``
        (naive UTC), in the company's time zone: the week to the last Friday
        (Friday to Thursday), and once the month's first working day has come,
        the previous month."""
        tz = self._customer_policy_tz(company)
        today = pytz.utc.localize(now).astimezone(tz).date()
        friday = today - timedelta(days=(today.weekday() - _FRIDAY) % 7)
        periods = {"weekly": (friday - timedelta(days=7), friday - timedelta(days=1))}
        first = today.replace(day=1)
        first_working = company.resource_calendar_id._customer_policy_next_working_day(
            first
        )
        if first_working.month != first.month:
            first_working = first
        if today >= first_working:
            periods["monthly"] = (
                first - relativedelta(months=1),
                first - timedelta(days=1),
            )
        return periods

    @api.model
    def _customer_policy_tz(self, company):
        return pytz.timezone(
            company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        )

    @api.model
    def _customer_policy_recipients(self, company, kind):
        """[(user, departments)] of a kind of report: the Directors (monthly);
        the service managers and each department manager (weekly). Departments
        empty: the whole company."""
        Users = self.env["res.users"]
        if kind == "monthly":
            return [
                (user, self.env["crm.team"])
                for user in Users._customer_policy_directors(company)
            ]
        service_managers = (
            self.env.ref("customer_policy.group_service_manager")
            .sudo()
            .users.filtered(lambda u: not u.share and company in u.company_ids)
        )
        recipients = [(user, self.env["crm.team"]) for user in service_managers]
        teams = (
            self.env["crm.team"]
            .sudo()
            .search(
                [("user_id", "!=", False), ("company_id", "in", [False, company.id])]
            )
        )
        for manager, led in teams.grouped("user_id").items():
            if manager.active and manager not in service_managers:
                recipients.append((manager, led))
        return recipients

    @api.model
    def _customer_policy_scope(self, company, teams):
        scope = [("company_id", "=", company.id)]
        if teams:
            scope += [
                "|",
                ("responsible_team_id", "in", teams.ids),
                "&",
                ("responsible_team_id", "=", False),
                ("team_id", "in", teams.ids),
            ]
        return scope

    @api.model
    def _customer_policy_bounds(self, company, date_from, date_to):
        """The period's first and last moment as naive UTC: [start, stop)."""
        tz = self._customer_policy_tz(company)
        start = tz.localize(datetime.combine(date_from, time.min))
        stop = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None),
        )

    @api.model
    def _customer_policy_claim(self, vals):
        """Create the report record, or return None when it exists already (an
        earlier run, or another worker at the same time): the unique index
        decides, in one statement, without an error in the log."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """INSERT INTO customer_service_report
                       (kind, date_from, date_to, user_id, company_id,
                        create_uid, write_uid, create_date, write_date)
                   VALUES (%(kind)s, %(date_from)s, %(date_to)s, %(user)s,
                           %(company)s, %(uid)s, %(uid)s, %(now)s, %(now)s)
                   ON CONFLICT (kind, date_from, company_id, user_id) DO NOTHING
                   RETURNING id""",
                kind=vals["kind"],
                date_from=vals["date_from"],
                date_to=vals["date_to"],
                user=vals["user_id"],
                company=vals["company_id"],
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        if not rows:
            return None
        report = self.sudo().browse(rows[0][0])
        if vals.get("team_ids"):
            report.team_ids = vals["team_ids"]
        return report

    @api.model
    def _customer_policy_send_due(self, now=None):
        """Send every report due at ``now`` that was not sent yet."""
        now = now or fields.Datetime.now()
        sent = self.browse()
        companies = self.env["res.company"].sudo().search([("active", "=", True)])
        for company in companies:
            for kind, (date_from, date_to) in self._customer_policy_periods(
                company, now
            ).items():
                start, stop = self._customer_policy_bounds(company, date_from, date_to)
                done = set(
                    self.sudo()
                    .search(
                        [
                            ("kind", "=", kind),
                            ("date_from", "=", date_from),
                            ("company_id", "=", company.id),
                        ]
                    )
                    .user_id.ids
                )
                for user, teams in self._customer_policy_recipients(company, kind):
                    if user.id in done:
                        continue
                    scope = self._customer_policy_scope(company, teams)
                    if teams and not self.env["customer.complaint"].sudo().search_count(
                        scope
                        + [
                            "|",
                            ("received_at", ">=", start),
                            ("state", "not in", ["closed", "cancelled"]),
                        ],
                        limit=1,
                    ):
                        # A department without tickets gets no empty report.
                        continue
                    report = self._customer_policy_claim(
                        {
                            "kind": kind,
                            "date_from": date_from,
                            "date_to": date_to,
                            "user_id": user.id,
                            "team_ids": [fields.Command.set(teams.ids)],
                            "company_id": company.id,
                        }
                    )
                    if report:
                        report._customer_policy_fill_and_send(scope, start, stop, now)
                        sent |= report
        return sent

    def _customer_policy_fill_and_send(self, scope, start, stop, now):
        """Count, write the workbook and mail it to the recipient, in their
        language."""
        self.ensure_one()
        report = self.with_context(lang=self.user_id.lang or self.env.lang)
        figures = self.env["customer.complaint"]._customer_policy_service_figures(
            scope, start, stop, now
        )
        content = report._customer_policy_workbook(figures)
        filename = f"{report.display_name}.xlsx".replace("/", "-")
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                }
            )
        )
        self.sudo().write(
            {
                "attachment_id": attachment.id,
                "received_count": figures["received"],
                "resolved_count": figures["resolved"],
                "response_on_time_rate": figures["response_on_time_rate"] or 0.0,
                "resolution_on_time_rate": figures["resolution_on_time_rate"] or 0.0,
                "overdue_count": len(figures["overdue"]),
                "satisfaction_avg": figures["satisfaction"] or 0.0,
                "repeat_count": figures["repeat"],
            }
        )
        env = report.env
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "%(report)s is attached.",
                report=report.display_name,
            ),
            Markup("").join(
                Markup("<li>%s: %s</li>") % (label, value)
                for label, value in report._customer_policy_summary_rows(figures)
            ),
        )
        self.sudo().message_post(
            subject=report.display_name,
            body=body,
            partner_ids=self.user_id.partner_id.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _customer_policy_summary_rows(self, figures):
        """(label, value) of the summary, in the environment's language."""
        env = self.env

        def percent(value):
            return "-" if value is None else f"{value:.1f}%"

        return [
            (env._("Tickets received"), figures["received"]),
            (env._("Tickets resolved"), figures["resolved"]),
            (env._("Response on time"), percent(figures["response_on_time_rate"])),
            (
                env._("Resolution on time"),
                percent(figures["resolution_on_time_rate"]),
            ),
            (env._("Overdue now"), len(figures["overdue"])),
            (
                env._("Satisfaction (1-5)"),
                "-" if figures["satisfaction"] is None else figures["satisfaction"],
            ),
            (env._("Rated tickets"), figures["rated"]),
            (env._("Repeat contacts"), figures["repeat"]),
        ]

    def _customer_policy_workbook(self, figures):
        """The workbook: summary, tickets received, overdue tickets, root causes
        ranked. Returns the file's bytes."""
        self.ensure_one()
        env = self.env
        tz = self._customer_policy_tz(self.company_id)
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})

        def local(moment):
            if not moment:
                return ""
            return f"{pytz.utc.localize(moment).astimezone(tz):%Y-%m-%d %H:%M}"

        summary = book.add_worksheet(env._("Overview"))
        summary.set_column(0, 0, 28)
        summary.set_column(1, 1, 24)
        summary.write(0, 0, self.display_name, bold)
        summary.write(1, 0, env._("Company"))
        summary.write(1, 1, self.company_id.name)
        summary.write(2, 0, env._("Departments"))
        summary.write(2, 1, ", ".join(self.team_ids.mapped("name")) or env._("All"))
        for row, (label, value) in enumerate(
            self._customer_policy_summary_rows(figures), start=4
        ):
            summary.write(row, 0, label)
            summary.write(row, 1, value)

        states = dict(
            env["customer.complaint"]._fields["state"]._description_selection(env)
        )
        types = dict(
            env["customer.complaint"]
            ._fields["request_type"]
            ._description_selection(env)
        )
        severities = dict(
            env["customer.complaint"]._fields["severity"]._description_selection(env)
        )
        columns = [
            env._("Number"),
            env._("Customer"),
            env._("Type"),
            env._("Severity"),
            env._("Received at"),
            env._("Handler"),
            env._("State"),
        ]

        def ticket_row(ticket):
            return [
                ticket.name,
                ticket.commercial_partner_id.name or "",
                types.get(ticket.request_type, ""),
                severities.get(ticket.severity, ""),
                local(ticket.received_at),
                ticket.user_id.name or "",
                states.get(ticket.state, ""),
            ]

        sheets = (
            (
                env._("Tickets"),
                columns
                + [
                    env._("Response late"),
                    env._("Repeat contact"),
                    env._("Satisfaction"),
                ],
                [
                    ticket_row(t)
                    + [
                        env._("Yes") if t.is_response_overdue else "",
                        env._("Yes") if t.is_repeat else "",
                        int(t.satisfaction) if t.satisfaction else "",
                    ]
                    for t in figures["tickets"]
                ],
            ),
            (
                env._("Overdue"),
                columns
                + [
                    env._("Response deadline"),
                    env._("Contact deadline"),
                    env._("Resolution deadline"),
                ],
                [
                    ticket_row(t)
                    + [
                        local(t.response_deadline),
                        local(t.contact_deadline),
                        local(t.resolution_deadline),
                    ]
                    for t in figures["overdue"]
                ],
            ),
            (
                env._("Root Causes"),
                [env._("Root cause"), env._("Tickets resolved")],
                [
                    [category.name or env._("Not classified"), count]
                    for category, count in figures["root_causes"]
                ],
            ),
        )
        for title, heads, rows in sheets:
            sheet = book.add_worksheet(title)
            sheet.set_column(0, len(heads) - 1, 18)
            for col, head in enumerate(heads):
                sheet.write(0, col, head, header)
            for row, values in enumerate(rows, start=1):
                for col, value in enumerate(values):
                    sheet.write(row, col, value)
        book.close()
        return output.getvalue()

    # === CRON METHODS === #

    @api.model
    def _cron_send_service_reports(self):
        """Send the weekly and monthly service reports due, once each."""
        sent = self._customer_policy_send_due()
        self.env["ir.cron"]._notify_progress(done=len(sent), remaining=0)
        _logger.info("Service reports sent: %s", len(sent))
