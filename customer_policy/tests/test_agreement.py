from odoo import fields
from odoo.exceptions import UserError, ValidationError

from .common import CustomerPolicyCase


class TestAgreement(CustomerPolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Agreement Customer", "is_company": True}
        )

    def _agreement(self, total=1000.0, parts=(600.0, 400.0)):
        return self.env["customer.agreement"].create(
            {
                "partner_id": self.partner.id,
                "title": "Supply",
                "amount_total": total,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "installment_ids": [
                    (0, 0, {"due_date": f"2026-0{i + 1}-01", "amount": a})
                    for i, a in enumerate(parts)
                ],
            }
        )

    def test_life_cycle(self):
        agreement = self._agreement()
        self.assertEqual(agreement.name, "/")
        agreement.action_submit_legal()
        with self.assertRaises(UserError):
            agreement.with_user(self.user_sales).action_legal_approve()
        self.assertEqual(agreement.state, "legal_review")
        agreement.with_user(self.user_legal).action_legal_approve()
        self.assertEqual(agreement.state, "approved")
        self.assertRegex(agreement.name, r"^HT\d{4}-\d{4}$")
        with self.assertRaises(UserError):
            agreement.write({"amount_total": 5.0})
        self.assertEqual(agreement.amount_total, 1000.0)
        with self.assertRaises(UserError):
            agreement.action_activate()
        self.assertEqual(agreement.state, "approved")
        attachment = self.env["ir.attachment"].create(
            {"name": "signed.pdf", "raw": b"%PDF"}
        )
        agreement.write(
            {"attachment_ids": [(6, 0, attachment.ids)], "date_signed": "2026-01-01"}
        )
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")
        self.assertEqual(agreement.amount_due, 1000.0)
        renewal = agreement.action_renew()
        self.assertEqual(agreement.state, "renewed")
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.previous_agreement_id, agreement)
        self.assertEqual(agreement.renewal_agreement_id, renewal)

    def test_installments_must_sum(self):
        agreement = self._agreement(total=1000.0, parts=(600.0, 300.0))
        with self.assertRaises(ValidationError):
            agreement.action_submit_legal()
        self.assertEqual(agreement.state, "draft")

    def test_reject_needs_reason(self):
        agreement = self._agreement()
        agreement.action_submit_legal()
        with self.assertRaises(UserError):
            agreement.with_user(self.user_legal).action_legal_reject("")
        agreement.with_user(self.user_legal).action_legal_reject("Missing scope")
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.legal_review_note, "Missing scope")
        self.assertEqual(agreement.name, "/")

    def test_annual_amounts(self):
        agreement = self._agreement()
        agreement.action_submit_legal()
        agreement.with_user(self.user_legal).action_legal_approve()
        other = self.env["res.partner"].create({"name": "No Agreement"})
        partners = self.partner | other
        model = self.env["customer.agreement"]
        self.assertEqual(
            model._customer_policy_annual_amounts(partners),
            {self.partner.id: 0.0, other.id: 0.0},
        )
        attachment = self.env["ir.attachment"].create({"name": "s.pdf", "raw": b"x"})
        agreement.write(
            {
                "attachment_ids": [(6, 0, attachment.ids)],
                "date_signed": fields.Date.context_today(agreement),
            }
        )
        agreement.action_activate()
        self.assertEqual(
            model._customer_policy_annual_amounts(partners),
            {self.partner.id: 1000.0, other.id: 0.0},
        )
