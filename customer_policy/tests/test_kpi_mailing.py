import base64
import io
import re
from datetime import date
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..models import customer_kpi_mailing
from .common import CustomerKpiCase, cron_progress


@tagged("post_install", "-at_install")
class TestKpiMailing(CustomerKpiCase):
    def _departments_in(self, mailing):
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(mailing.attachment_id.datas)), data_only=True
        )
        rows = list(book["KPI"].iter_rows(values_only=True))
        department = rows[0].index("Department")
        return {row[department] for row in rows[1:-1]}, rows

    def test_once_a_month_per_recipient(self):
        Mailing = self.env["customer.kpi.mailing"]
        Message = self.env["mail.message"]
        with freeze_time("2026-03-02 02:00:00"):
            Mailing._cron_send_kpi_mailings()
            # This company's: another one (a localisation's demo company) mails
            # its own Directors, who may be this company's too.
            mailings = Mailing.search(
                [("month", "=", "2026-02-01"), ("company_id", "=", self.company.id)]
            )
            messages = Message.search(
                [("model", "=", Mailing._name), ("res_id", "in", mailings.ids)]
            )
            # Twice (a second worker, or the next day): nothing more.
            Mailing._cron_send_kpi_mailings()
        again = Mailing.search(
            [("month", "=", "2026-02-01"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(again, mailings)
        self.assertEqual(
            Message.search(
                [("model", "=", Mailing._name), ("res_id", "in", mailings.ids)]
            ),
            messages,
        )
        recipients = mailings.mapped("user_id")
        self.assertEqual(len(recipients), len(mailings), "one each")
        directors = self.env["res.users"]._customer_policy_directors(self.company)
        self.assertIn(self.user_director, directors)
        self.assertTrue(
            (directors | self.user_manager | self.user_manager_2) <= recipients
        )

        manager = mailings.filtered(lambda m: m.user_id == self.user_manager)
        self.assertEqual(manager.team_ids, self.team)
        message = messages.filtered(lambda m: m.res_id == manager.id)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.user_manager.partner_id)
        self.assertEqual(message.attachment_ids, manager.attachment_id)
        departments, rows = self._departments_in(manager)
        self.assertEqual(departments, {self.team.name}, "the department's rows only")
        # February of user_sales in the department: 1 customer lost, 50,000 signed.
        header = rows[0]
        [row] = [
            row
            for row in rows[1:-1]
            if row[header.index("Salesperson")] == "Sales User"
        ]
        self.assertEqual(row[header.index("Customers Lost")], 1)
        self.assertEqual(row[header.index("Contract Amount")], 50000)

        director = mailings.filtered(lambda m: m.user_id == self.user_director)
        self.assertFalse(director.team_ids, "the whole company")
        departments, _rows = self._departments_in(director)
        self.assertTrue({self.team.name, self.other_team.name} <= departments)
        # The next month is another mail.
        with freeze_time("2026-04-01 02:00:00"):
            Mailing._cron_send_kpi_mailings()
        self.assertEqual(
            Mailing.search_count(
                [("month", "=", "2026-03-01"), ("user_id", "=", self.user_manager.id)]
            ),
            1,
        )

    def test_rounds_under_the_cron_runner(self):
        """Called as ir.cron calls it, each call writes and mails at most
        KPI_MAILINGS_PER_CALL workbooks and reports the recipients still
        waiting; the calls together mail each recipient once."""
        Mailing = self.env["customer.kpi.mailing"]
        # Managers enough for three calls of two.
        for index in range(4):
            manager = new_test_user(
                self.env,
                login=f"cp_kpi_round_{index}",
                name=f"KPI Manager {index}",
                groups="customer_policy.group_manager",
            )
            self.env["crm.team"].create(
                {"name": f"KPI Department {index}", "user_id": manager.id}
            )
        month = [("month", "=", "2026-02-01")]
        calls = []
        with (
            freeze_time("2026-03-02 02:00:00"),
            patch.object(customer_kpi_mailing, "KPI_MAILINGS_PER_CALL", 2),
        ):
            recipients = sum(
                len(Mailing._customer_policy_recipients(company))
                for company in self.env["res.company"].search([])
            )
            self.assertGreaterEqual(recipients, 6)
            while True:
                env, progress = cron_progress(
                    self.env, "customer_policy.ir_cron_customer_kpi_mailing"
                )
                before = Mailing.search_count(month)
                Mailing.with_env(env)._cron_send_kpi_mailings()
                self.assertEqual(Mailing.search_count(month) - before, progress.done)
                calls.append((progress.done, progress.remaining))
                if not progress.remaining:
                    break
                self.assertLess(len(calls), 20)
        # ceil(recipients / 2) calls of 2, each reporting the rest.
        self.assertEqual(len(calls), -(-recipients // 2))
        self.assertEqual(calls[0], (2, recipients - 2))
        self.assertEqual(sum(done for done, _rest in calls), recipients)
        mailings = Mailing.search(month)
        self.assertEqual(len(mailings), recipients)
        # One each per company: a Director of two companies gets both.
        self.assertEqual(
            len({(m.user_id, m.company_id) for m in mailings}),
            len(mailings),
            "one each",
        )
        self.assertTrue(all(mailings.mapped("attachment_id")))

    def _mailed(self, user, teams, report=None):
        """(sheets, mail body) of the February mailing of ``user`` written by
        ``_customer_policy_fill_and_send(report)``; the mailing is then deleted,
        so that the other path can write it again."""
        Mailing = self.env["customer.kpi.mailing"].sudo()
        mailing = Mailing.create(
            {
                "month": "2026-02-01",
                "user_id": user.id,
                "company_id": self.company.id,
                "team_ids": [Command.set(teams.ids)],
            }
        )
        mailing._customer_policy_fill_and_send(report)
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(mailing.attachment_id.datas)), data_only=True
        )
        sheets = {
            sheet.title: list(sheet.iter_rows(values_only=True))
            for sheet in book.worksheets
        }
        [message] = self.env["mail.message"].search(
            [
                ("model", "=", Mailing._name),
                ("res_id", "=", mailing.id),
                ("message_type", "=", "comment"),
            ]
        )
        body = message.body
        mailing.unlink()
        return sheets, body

    def test_month_read_once_gives_each_their_own_workbook(self):
        """The company's month read once (the report's view evaluated once) gives
        the manager and the Director the workbook and the mail's totals their own
        search of the report gives them: the department's rows for the manager,
        the company's for the Director."""
        Report = self.env["customer.kpi.report"]
        with freeze_time("2026-03-02 02:00:00"):
            for user, teams in (
                (self.user_manager, self.team),
                (self.user_director, self.env["crm.team"]),
            ):
                own = self._mailed(user, teams)
                with Report._customer_policy_snapshot(
                    self.company, date(2026, 2, 1), date(2026, 3, 1)
                ) as snapshot:
                    read_once = self._mailed(user, teams, snapshot)
                self.assertEqual(read_once, own, user.login)
                kpi = own[0]["KPI"]
                department = kpi[0].index("Department")
                departments = {row[department] for row in kpi[1:-1]}
                if teams:
                    self.assertEqual(departments, {self.team.name})
                else:
                    self.assertTrue(
                        {self.team.name, self.other_team.name} <= departments
                    )
                # user_sales' February in the department: 50,000 signed.
                self.assertIn("50,000.00", own[1])

    def test_view_evaluated_once_per_company(self):
        """A run reads the view once per company that has mails to send, however
        many recipients; the recipients read that copy."""
        Mailing = self.env["customer.kpi.mailing"]
        original = Cursor.execute
        views = []

        def execute(cr, query, params=None, log_exceptions=True):
            code = query.code if isinstance(query, SQL) else str(query)
            if re.search(r'FROM "customer_kpi_report"(?!_)', code):
                views.append(code)
            return original(cr, query, params, log_exceptions)

        with (
            freeze_time("2026-03-02 02:00:00"),
            patch.object(Cursor, "execute", execute),
        ):
            Mailing._cron_send_kpi_mailings()
        mailings = Mailing.search([("month", "=", "2026-02-01")])
        self.assertGreaterEqual(len(mailings), 4)
        self.assertEqual(len(views), len(mailings.company_id), views)
        self.assertTrue(all("CREATE TEMPORARY TABLE" in code for code in views))
