import ast
import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.xlsx import StreamingWorkbook, download_url

# Rows read from the database at a time when a workbook is written.
EXPORT_BATCH_SIZE = 2000


class CustomerPolicyXlsxExport(models.TransientModel):
    """An Excel workbook of the policy's management reports (管理报表): the KPI
    report, the scorecards, the development plans, and the customer analysis.

    Every row comes from a search made as the user who exports, so a workbook
    holds only what that user may read; rows are read in batches and written as
    a stream, so a large export takes bounded memory."""

    _name = "customer.policy.xlsx.export"
    _description = "Customer Policy Excel Export"

    report = fields.Selection(
        selection=[
            ("kpi", "KPI Report"),
            ("scorecard", "Scorecards"),
            ("plan", "Development Plans"),
            ("customer_analysis", "Customer Analysis"),
        ],
        required=True,
        default="customer_analysis",
    )
    res_model = fields.Char()
    domain = fields.Char(default="[]")
    date_from = fields.Date(
        string="From",
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)
        ),
        help="New and lost customers and the contract amounts are counted from "
        "this day.",
    )
    date_to = fields.Date(
        string="To",
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1)
            + relativedelta(months=1, days=-1)
        ),
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Departments",
        help="Only the customers of these departments; empty: every customer you "
        "may read.",
    )
    xlsx_file = fields.Binary(string="Workbook", readonly=True, attachment=True)
    xlsx_filename = fields.Char(readonly=True)

    # === ACTION METHODS === #

    def action_export(self):
        self.ensure_one()
        if self.report == "customer_analysis" and self.date_from > self.date_to:
            raise UserError(self.env._("The period must end after it starts."))
        content, filename = self._customer_policy_build()
        self.write({"xlsx_file": base64.b64encode(content), "xlsx_filename": filename})
        return self._customer_policy_download_action()

    # === BUSINESS METHODS === #

    @api.model
    def _customer_policy_export(self, res_model, report, domain):
        """Export ``domain`` of ``res_model`` as ``report``: the action that
        downloads the workbook (the list views' Export to Excel button)."""
        export = self.create(
            {"report": report, "res_model": res_model, "domain": repr(domain)}
        )
        return export.action_export()

    @api.model
    def _customer_policy_button_domain(self, records):
        """The rows a list view's header button means: the selected records, or
        the whole search when none (or all) are selected."""
        context = self.env.context
        if records.ids:
            return [("id", "in", records.ids)]
        if context.get("active_ids") and not context.get("active_domain"):
            return [("id", "in", context["active_ids"])]
        return list(context.get("active_domain") or [])

    def _customer_policy_build(self):
        """(bytes, file name) of the workbook."""
        self.ensure_one()
        book = StreamingWorkbook()
        try:
            if self.report == "customer_analysis":
                filename = self.env["res.partner"]._customer_policy_analysis_xlsx(
                    book, self.date_from, self.date_to, self.team_ids
                )
            else:
                model = {
                    "kpi": "customer.kpi.report",
                    "scorecard": "customer.kpi.scorecard",
                    "plan": "customer.development.plan",
                }[self.report]
                filename = self.env[model]._customer_policy_xlsx(
                    book, self._customer_policy_domain()
                )
        except BaseException:
            book.close()
            raise
        return book.close(), f"{filename}.xlsx".replace("/", "-")

    def _customer_policy_domain(self):
        # Written by _customer_policy_export from a domain the client sent: plain
        # lists, tuples, strings and numbers.
        return list(ast.literal_eval(self.domain or "[]"))

    def _customer_policy_download_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": download_url(self, "xlsx_file", self.xlsx_filename),
            "target": "self",
        }

    @api.model
    def _customer_policy_batches(self, records_model, domain, fnames):
        """The records of ``domain``, searched as the current user, a batch
        (recordset) at a time: each batch read with ``fnames``, then dropped from
        the cache once the next one is asked for, so that the memory does not
        grow with the number of records. The batches follow the ids (keyset):
        each is a short indexed query, whatever the number before it."""
        last_id = 0
        while True:
            batch = records_model.search_fetch(
                [*domain, ("id", ">", last_id)],
                fnames,
                order="id",
                limit=EXPORT_BATCH_SIZE,
            )
            if not batch:
                return
            yield batch
            last_id = batch[-1].id
            self.env.invalidate_all()
            if len(batch) < EXPORT_BATCH_SIZE:
                return

    @api.model
    def _customer_policy_records(self, records_model, domain, fnames):
        """The records of ``_customer_policy_batches``, one by one."""
        for batch in self._customer_policy_batches(records_model, domain, fnames):
            yield from batch
