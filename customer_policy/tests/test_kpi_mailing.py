import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerKpiCase


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
