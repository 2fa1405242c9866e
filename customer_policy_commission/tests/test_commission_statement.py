import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionStatement(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # February: user_sales collects 200,000 of the key agreement (4,860, pool
        # 540) and 100,000 of a second one (100,000 × 3 % × 90 % = 2,700, pool
        # 300): 7,560 for the month.
        cls.agreement = cls._setup_key_agreement(cls)
        cls.second = cls._setup_second_agreement(cls)

    def _setup_key_agreement(self):
        agreement = self._agreement(
            self, parts=(("2026-02-28", 200000.0), ("2026-03-31", 300000.0))
        )
        self._activate(self, agreement)
        agreement.with_user(self.user_manager).commission_cost = 50000.0
        self._pay(self, 200000.0, agreement, date="2026-02-10")
        return agreement

    def _setup_second_agreement(self):
        agreement = self._agreement(self, parts=(("2026-02-28", 100000.0),))
        self._activate(self, agreement)
        self._pay(self, 100000.0, agreement, date="2026-02-20")
        return agreement

    def test_month_total_is_the_sum_of_its_lines(self):
        february = self._statement(self.user_sales, "2026-02-01")
        self.assertEqual(february.amount_total, 4860.0 + 2700.0)
        self.assertEqual(february.line_count, 2)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT SUM(amount) FROM customer_commission_line WHERE statement_id = %s",
            [february.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], february.amount_total)
        pool = self._statement(False, "2026-02-01")
        self.assertEqual(pool.amount_total, 540.0 + 300.0)
        self.assertFalse(pool.team_id)
        self.assertEqual(february.team_id, self.team)
        self.assertEqual(february.display_name, f"2026-02 {self.user_sales.name}")
        found = self.env["customer.commission.statement"].name_search(
            self.user_sales.name
        )
        self.assertIn(february.id, [statement_id for statement_id, __ in found])

    def test_workflow(self):
        """The department manager confirms after the month, a Director approves,
        Finance records the payment; each step asks the next one."""
        february = self._statement(self.user_sales, "2026-02-01")
        with freeze_time("2026-02-27"), self.assertRefused(UserError, "not over"):
            february.with_user(self.user_manager).action_confirm()
        with freeze_time("2026-03-02"):
            with self.assertRefused(UserError, "Only the manager of Test Department"):
                february.with_user(self.user_sales).action_confirm()
            with self.assertRefused(UserError, "Only the manager"):
                february.with_user(self.user_finance).action_confirm()
            february.with_user(self.user_manager).action_confirm()
        self.assertEqual(february.state, "confirmed")
        self.assertEqual(february.confirmed_uid, self.user_manager)
        approval = february.activity_ids
        self.assertEqual(approval.user_id, self.user_director)
        self.assertEqual(
            approval.activity_type_id,
            self.env.ref(
                "customer_policy_commission.mail_activity_type_commission_approve"
            ),
        )
        with self.assertRefused(UserError, "Only a Director approves"):
            february.with_user(self.user_manager).action_approve()
        february.with_user(self.user_director).action_approve()
        self.assertEqual(february.state, "approved")
        self.assertFalse(february.activity_ids, "the approval is done")
        with self.assertRefused(UserError, "Only Finance"):
            february.with_user(self.user_director).action_mark_paid()
        with self.assertRefused(UserError, "is Approved"):
            february.with_user(self.user_manager).action_confirm()
        february.with_user(self.user_finance).action_mark_paid()
        self.assertEqual(february.state, "paid")
        self.assertEqual(february.paid_uid, self.user_finance)

    def test_nobody_confirms_or_approves_their_own(self):
        """The manager's own statement goes to a Director; a Director's to
        another Director."""
        self.env.company.customer_senior_salesperson_ids = [
            Command.link(self.user_manager.id),
            Command.link(self.user_director.id),
        ]
        self.customer.user_id = self.user_manager
        self.customer.customer_developer_id = self.user_manager
        self.team.member_ids = [Command.link(self.user_manager.id)]
        agreement = self._agreement(parts=(("2026-04-30", 100000.0),))
        self._activate(agreement)
        self._pay(100000.0, agreement, date="2026-04-10")
        own = self._statement(self.user_manager, "2026-04-01")
        self.assertEqual(own.team_id, self.team)
        self.assertEqual(own._commission_confirmer(), self.user_director)
        with freeze_time("2026-05-04"):
            with self.assertRefused(UserError, "nobody confirms their own"):
                own.with_user(self.user_manager).action_confirm()
            own.with_user(self.user_director).action_confirm()
        director_2 = self.user_admin
        self.customer.user_id = self.user_director
        self.customer.customer_developer_id = self.user_director
        agreement = self._agreement(parts=(("2026-04-30", 100000.0),))
        self._activate(agreement)
        self._pay(100000.0, agreement, date="2026-04-12")
        directors = self._statement(self.user_director, "2026-04-01")
        with freeze_time("2026-05-04"):
            directors.with_user(director_2).action_confirm()
            with self.assertRefused(UserError, "another Director approves"):
                directors.with_user(self.user_director).action_approve()
            directors.with_user(director_2).action_approve()
        self.assertEqual(directors.state, "approved")

    def test_approved_statement_never_changes(self):
        """February approved, then everything that could touch it happens: the
        payment is cancelled, costs and credits and the rate change, March's money
        comes in. February keeps its lines and total to the cent; the corrections
        are in March."""
        february = self._statement(self.user_sales, "2026-02-01")
        with freeze_time("2026-03-02"):
            february.with_user(self.user_manager).action_confirm()
            february.with_user(self.user_director).action_approve()
        before = february.line_ids.read(
            ["agreement_id", "amount", "base_amount", "rate", "share", "month"]
        )
        self.second.payment_ids.with_user(self.user_finance).action_cancel()
        self.agreement.with_user(self.user_manager).commission_cost = 0.0
        self.agreement.with_user(self.user_manager)._commission_set_credits(
            [(self.user_sales, 50.0), (self.user_sales_2, 50.0)]
        )
        self.agreement.with_user(self.user_director).commission_rate = 4.0
        self._pay(300000.0, self.agreement, date="2026-03-15")
        february.invalidate_recordset()
        self.assertEqual(february.state, "approved")
        self.assertEqual(february.amount_total, 7560.0)
        self.assertEqual(
            february.line_ids.read(
                ["agreement_id", "amount", "base_amount", "rate", "share", "month"]
            ),
            before,
        )
        # By hand, for user_sales in March: the key agreement now earns 500,000 ×
        # 4 % × 90 % × 50 % = 9,000 in all, of which February booked 4,860: 4,140;
        # the second agreement's 2,700 is reversed: -2,700. March: 1,440.
        march = self._statement(self.user_sales, "2026-03-01")
        self.assertEqual(march.amount_total, 9000.0 - 4860.0 - 2700.0)
        with self.assertRefused(UserError, "is confirmed: its lines do not change"):
            february.line_ids[0].sudo().amount = 1.0
        with self.assertRefused(UserError, "is confirmed: its lines do not change"):
            february.line_ids[0].sudo().unlink()
        with self.assertRefused(UserError, "it stays"):
            february.sudo().unlink()
        with self.assertRefused(AccessError, "not allowed to modify"):
            february.with_user(self.user_director).write({"state": "draft"})

    def test_xlsx_totals_equal_the_database(self):
        """The payroll workbook: one row per statement with the database's total,
        its lines below; the totals row is the sum of the statements."""
        self._pay(300000.0, self.agreement, date="2026-03-15")
        statements = self.env["customer.commission.statement"].search(
            [("line_ids.agreement_id", "in", (self.agreement | self.second).ids)]
        )
        self.assertEqual(len(statements), 4)
        action = statements.with_user(self.user_finance).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = (
            self.env["ir.attachment"].with_user(self.user_finance).browse(attachment_id)
        )
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(attachment.datas))
        )
        summary = workbook.worksheets[0]
        rows = list(summary.iter_rows(min_row=2, values_only=True))
        by_statement = {(row[0], row[1]): row[7] for row in rows[:-1]}
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT to_char(s.month, 'YYYY-MM'), COALESCE(u_p.name, 'Operations Pool'),
                   SUM(l.amount)
              FROM customer_commission_line l
              JOIN customer_commission_statement s ON s.id = l.statement_id
              LEFT JOIN res_users u ON u.id = s.user_id
              LEFT JOIN res_partner u_p ON u_p.id = u.partner_id
             WHERE s.id IN %s
             GROUP BY 1, 2
            """,
            [tuple(statements.ids)],
        )
        self.assertEqual(
            by_statement, {(m, who): total for m, who, total in self.env.cr.fetchall()}
        )
        # By hand: February 7,560 + 840, March 7,290 + 810.
        self.assertEqual(
            by_statement,
            {
                ("2026-02", self.user_sales.name): 7560.0,
                ("2026-02", "Operations Pool"): 840.0,
                ("2026-03", self.user_sales.name): 7290.0,
                ("2026-03", "Operations Pool"): 810.0,
            },
        )
        self.assertEqual(rows[-1][7], 7560.0 + 840.0 + 7290.0 + 810.0)
        lines = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(lines), sum(statements.mapped("line_count")))
        self.assertEqual(round(sum(row[9] for row in lines), 2), rows[-1][7])

    def test_salesperson_exports_their_own(self):
        february = self._statement(self.user_sales, "2026-02-01")
        action = february.with_user(self.user_sales).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.res_model, "customer.commission.statement")
        self.assertEqual(attachment.res_id, february.id)
        self.assertEqual(attachment.name, "Commission 2026-02.xlsx")
