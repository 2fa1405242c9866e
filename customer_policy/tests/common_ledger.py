import base64
from contextlib import contextmanager

from odoo import fields

from .common import CustomerPolicyCase


class CustomerLedgerCase(CustomerPolicyCase):
    """A managed customer of user_sales with helpers to run an agreement's life."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "协议测试客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales.id,
                "team_id": cls.team.id,
            }
        )
        cls.other_customer = Partner.create(
            {
                "name": "另一客户有限公司",
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": cls.user_sales_2.id,
            }
        )
        cls.currency = cls.env.company.currency_id
        cls.signed_original = cls.env["ir.attachment"].create(
            {"name": "signed.pdf", "datas": base64.b64encode(b"%PDF-1.4 signed")}
        )

    def _agreement(
        self,
        parts=((("2026-01-31"), 600.0), ("2026-04-30", 400.0)),
        total=None,
        partner=None,
        user=None,
        **vals,
    ):
        total = sum(amount for __, amount in parts) if total is None else total
        Agreement = self.env["customer.agreement"]
        if user:
            Agreement = Agreement.with_user(user)
        return Agreement.create(
            {
                "partner_id": (partner or self.customer).id,
                "title": "Supply of spare parts",
                "amount_total": total,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "installment_ids": [
                    fields.Command.create({"due_date": due, "amount": amount})
                    for due, amount in parts
                ],
                **vals,
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex):
        """The error names the cause, and the savepoint undoes what was written."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _activate(self, agreement, signed="2026-01-05"):
        owner = agreement.user_id
        agreement.with_user(owner).action_submit_legal()
        agreement.with_user(self.user_legal).action_legal_approve()
        agreement.with_user(owner).write(
            {
                "date_signed": signed,
                "attachment_ids": [fields.Command.link(self.signed_original.id)],
            }
        )
        agreement.with_user(owner).action_activate()
        return agreement

    def _pay(self, amount, agreement=None, partner=None, date="2026-02-01"):
        payment = (
            self.env["customer.payment"]
            .with_user(self.user_finance)
            .create(
                {
                    "partner_id": (
                        partner or (agreement and agreement.partner_id) or self.customer
                    ).id,
                    "agreement_id": agreement.id if agreement else False,
                    "amount": amount,
                    "date": date,
                }
            )
        )
        payment.action_post()
        return payment
