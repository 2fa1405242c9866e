import base64

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import BRIDGE_QUERIES_PER_CHUNK, CustomerLedgerCase, counted_queries


@tagged("post_install", "-at_install")
class TestAgreementLifeCycle(CustomerLedgerCase):
    def _activities(self, record, activity_xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "in", record.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(f"customer_policy.{activity_xmlid}").id,
                ),
            ]
        )

    @freeze_time("2026-01-05 10:00:00")
    def test_full_life_cycle(self):
        """Draft → review → approved → active → partial payments → overdue →
        collection → paid → renewal."""
        agreement = self._agreement(user=self.user_sales)
        agreement.title = "年度维保协议"
        self.assertEqual(agreement.name, "/")
        self.assertEqual(agreement.user_id, self.user_sales)
        self.assertEqual(agreement.team_id, self.team)
        agreement.with_user(self.user_sales).action_submit_legal()
        self.assertEqual(agreement.state, "legal_review")
        # No number yet, and not called a draft while Legal reviews it.
        self.assertEqual(
            agreement.with_context(lang="en_US").display_name,
            "Unnumbered 年度维保协议",
        )
        agreement.with_user(self.user_legal).action_legal_approve()
        self.assertEqual(agreement.state, "approved")
        self.assertRegex(agreement.name, r"^HT2026-\d{4}$")
        self.assertEqual(agreement.display_name, f"{agreement.name} 年度维保协议")
        self.assertEqual(agreement.legal_reviewer_id, self.user_legal)
        agreement.with_user(self.user_sales).write(
            {
                "date_signed": "2026-01-05",
                "attachment_ids": [fields.Command.link(self.signed_original.id)],
            }
        )
        agreement.with_user(self.user_sales).action_activate()
        self.assertEqual(agreement.state, "active")
        self.assertEqual(agreement.amount_due, 1000.0)
        # It counts in the customer's 12-month contract amount (tiers).
        self.assertEqual(self.customer.annual_contract_amount, 1000.0)

        first, second = agreement.installment_ids.sorted("due_date")
        payment = self._pay(250.0, agreement, date="2026-01-20")
        self.assertEqual(payment.state, "posted")
        self.assertEqual(first.amount_received, 250.0)
        self.assertEqual(first.state, "partial")
        self.assertEqual(agreement.amount_received, 250.0)
        self.assertEqual(agreement.amount_due, 750.0)

        Installment = self.env["customer.agreement.installment"]
        with freeze_time("2026-02-10"):
            Installment._cron_installment_daily()
        self.assertEqual(first.state, "overdue")
        self.assertEqual(first.days_overdue, 10)
        self.assertEqual(first.aging_bucket, "1_30")
        self.assertEqual(agreement.amount_overdue, 350.0)
        self.assertEqual(self.customer.customer_amount_overdue, 350.0)
        collection = self._activities(first, "mail_activity_type_collection")
        self.assertEqual(collection.user_id, self.user_sales)
        # The owner records what the customer said.
        action = (
            self.env["customer.collection.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "installment_id": first.id,
                    "action_type": "call",
                    "customer_reason": "Budget approval delayed",
                    "promised_date": "2026-02-20",
                }
            )
        )
        self.assertEqual(action.partner_id, self.customer)

        with freeze_time("2026-02-20"):
            self._pay(350.0, agreement, date="2026-02-20")
            self.assertEqual(first.state, "paid")
            self.assertEqual(first.days_overdue, 0)
            self._pay(400.0, agreement, date="2026-02-20")
        self.assertEqual(second.state, "paid")
        self.assertEqual(agreement.amount_due, 0.0)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_amount_received, 1000.0)
        self.assertEqual(self.customer.customer_amount_overdue, 0.0)

        renewal_action = agreement.with_user(self.user_sales).action_renew()
        renewal = self.env["customer.agreement"].browse(renewal_action["res_id"])
        self.assertEqual(agreement.state, "renewed")
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.name, "/")
        self.assertEqual(renewal.previous_agreement_id, agreement)
        self.assertEqual(agreement.renewal_agreement_id, renewal)
        self.assertEqual(str(renewal.date_start), "2027-01-01")
        self.assertFalse(renewal.installment_ids)

    def test_numbers_are_never_reused(self):
        first = self._activate(self._agreement())
        second = self._agreement()
        second.action_submit_legal()
        # Rejected: back to draft without a number.
        second.with_user(self.user_legal).action_legal_reject("Scope unclear")
        self.assertEqual(second.name, "/")
        self.assertEqual(second.legal_review_note, "Scope unclear")
        second.action_submit_legal()
        second.with_user(self.user_legal).action_legal_approve()
        self.assertNotEqual(first.name, second.name)
        number = second.name.split("-")[1]
        self.assertEqual(int(number), int(first.name.split("-")[1]) + 1)
        # Copying an agreement never copies its number.
        self.assertEqual(first.copy().name, "/")

    def test_refusals_write_nothing(self):
        agreement = self._agreement()
        # Installments must add up to the total.
        unbalanced = self._agreement(total=1500.0)
        with self.assertRefused(ValidationError, "add up to"):
            unbalanced.action_submit_legal()
        self.assertEqual(unbalanced.state, "draft")

        agreement.action_submit_legal()
        # Only Legal approves or rejects.
        for method, args in (
            ("action_legal_approve", ()),
            ("action_legal_reject", ("x",)),
        ):
            with self.assertRefused(UserError, "Legal"):
                getattr(agreement.with_user(self.user_manager), method)(*args)
        self.assertEqual(agreement.state, "legal_review")
        self.assertEqual(agreement.name, "/")
        with self.assertRefused(UserError, "reason"):
            agreement.with_user(self.user_legal).action_legal_reject("  ")
        self.assertEqual(agreement.state, "legal_review")
        # Under review, the terms and the schedule are frozen.
        with self.assertRefused(UserError, "cannot be changed"):
            agreement.write({"amount_total": 5.0})
        with self.assertRefused(UserError, "cannot change"):
            agreement.installment_ids[0].write({"amount": 1.0})
        with self.assertRefused(UserError, "cannot change"):
            agreement.installment_ids[0].unlink()
        self.assertEqual(agreement.amount_total, 1000.0)
        self.assertEqual(sum(agreement.installment_ids.mapped("amount")), 1000.0)

        agreement.with_user(self.user_legal).action_legal_approve()
        # Activating needs the signed original.
        with self.assertRefused(UserError, "signed original"):
            agreement.action_activate()
        self.assertEqual(agreement.state, "approved")
        with self.assertRefused(UserError, "cannot be changed"):
            agreement.write({"date_end": "2027-12-31"})
        # A reviewed agreement stays in the register.
        with self.assertRefused(UserError, "stays in the register"):
            agreement.unlink()
        self.assertTrue(agreement.exists())
        # A termination needs its reason.
        with self.assertRefused(UserError, "reason"):
            agreement.action_terminate("")
        self.assertEqual(agreement.state, "approved")
        # Installments go to the agreement's own customer's contacts? No: agreements
        # are signed with the company itself.
        contact = self.env["res.partner"].create(
            {"name": "Contact", "parent_id": self.customer.id}
        )
        with self.assertRefused(ValidationError, "not with one of its contact"):
            self._agreement(partner=contact)

    def test_terminate_with_reason(self):
        agreement = self._activate(self._agreement())
        wizard = (
            self.env["customer.agreement.reason.wizard"]
            .with_user(self.user_sales)
            .create(
                {
                    "agreement_id": agreement.id,
                    "action": "terminate",
                    "reason": "Customer closed its plant",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(agreement.state, "terminated")
        self.assertEqual(agreement.termination_reason, "Customer closed its plant")

    @freeze_time("2026-11-15")
    def test_expiry_and_renewal_reminder_once(self):
        ending = self._activate(
            self._agreement(
                parts=(("2026-01-31", 1000.0),),
                renewal_reminder_days=60,
            )
        )
        ended = self._activate(
            self._agreement(parts=(("2026-01-31", 500.0),), date_end="2026-11-10")
        )
        Agreement = self.env["customer.agreement"]
        Agreement._cron_agreement_daily()
        Agreement._cron_agreement_daily()
        self.assertEqual(ended.state, "expired")
        self.assertEqual(ending.state, "active")
        reminders = self._activities(ending, "mail_activity_type_agreement_renewal")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.user_sales)
        self.assertTrue(ending.renewal_reminded)
        # An expired agreement can be renewed; signed within 12 months, it still
        # counts in the tier amount (1,000 running + 500 expired).
        self.assertEqual(self.customer.annual_contract_amount, 1500.0)

    def test_access_by_duty(self):
        agreement = self._agreement()
        # Another department's salesperson and the service desk see nothing.
        with self.assertRaises(AccessError):
            agreement.with_user(self.user_sales_2).read(["title"])
        # Legal reads to review, but does not edit the terms.
        agreement.action_submit_legal()
        self.assertEqual(agreement.with_user(self.user_legal).title, agreement.title)
        with self.assertRaises(AccessError):
            agreement.with_user(self.user_legal).write({"renewal_reminder_days": 9})
        # Finance reads the ledger but does not draft agreements.
        self.assertEqual(
            agreement.installment_ids.with_user(self.user_finance).mapped("amount"),
            [600.0, 400.0],
        )
        with self.assertRaises(AccessError):
            self.env["customer.agreement"].with_user(self.user_finance).create(
                {"partner_id": self.customer.id, "title": "x"}
            )
        # The department manager follows the customer's agreements.
        self.assertEqual(agreement.with_user(self.user_manager).state, "legal_review")


@tagged("post_install", "-at_install")
class TestAgreementWithVisitsAndHandover(CustomerLedgerCase):
    @freeze_time("2026-01-05 10:00:00")
    def test_activation_plans_return_visits_for_the_owner(self):
        """An activated cooperation is a delivery: its return visits get planned for
        the agreement's owner, even when Legal or a manager activates it."""
        agreement = self._agreement(user=self.user_sales)
        self._activate(agreement)
        schedule = self.env["customer.return.schedule"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(schedule), 1)
        self.assertIn(agreement.name, schedule.name)
        self.assertEqual(schedule.user_id, self.user_sales)
        self.assertEqual(schedule.delivery_date, fields.Date.to_date("2026-01-01"))
        # The agreement's end is not the end of the project's service.
        self.assertFalse(schedule.end_date)
        self.assertEqual(schedule.agreement_id, agreement)
        visits = schedule.visit_ids
        self.assertTrue(visits)
        self.assertEqual(set(visits.mapped("visit_type")), {"return_visit"})
        self.assertEqual(set(visits.mapped("user_id")), {self.user_sales})
        self.assertEqual(set(visits.mapped("state")), {"planned"})

    @freeze_time("2026-01-05 10:00:00")
    def test_running_agreements_follow_the_customer_on_handover(self):
        running = self._activate(self._agreement(user=self.user_sales))
        draft = self._agreement(user=self.user_sales)
        closed = self._activate(self._agreement(user=self.user_sales))
        closed.action_terminate("Customer closed the plant")
        self.customer._customer_policy_handover_records(
            {self.customer.id: self.user_sales_2}, self.user_sales
        )
        self.assertEqual(running.user_id, self.user_sales_2)
        self.assertEqual(draft.user_id, self.user_sales_2)
        # A terminated agreement keeps who signed it.
        self.assertEqual(closed.user_id, self.user_sales)

    def test_signed_original_readable_by_who_reads_the_agreement(self):
        """An original uploaded by the owner becomes the agreement's: Legal opens
        it; somebody else's loose upload is not claimed."""
        agreement = self._agreement(user=self.user_sales)
        Attachment = self.env["ir.attachment"]
        mine = Attachment.with_user(self.user_sales).create(
            {"name": "signed.pdf", "datas": base64.b64encode(b"%PDF-1.4 mine")}
        )
        theirs = Attachment.with_user(self.user_sales_2).create(
            {"name": "other.pdf", "datas": base64.b64encode(b"%PDF-1.4 theirs")}
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.user_legal).read(["datas"])
        agreement.with_user(self.user_sales).write(
            {
                "attachment_ids": [
                    fields.Command.link(mine.id),
                    fields.Command.link(theirs.id),
                ]
            }
        )
        self.assertEqual((mine.res_model, mine.res_id), (agreement._name, agreement.id))
        self.assertTrue(mine.with_user(self.user_legal).read(["datas"])[0]["datas"])
        self.assertFalse(theirs.res_id)


# The daily agreement cron on one chunk, whatever the number of agreements in it
# (see TestAgreementDailyQueries).
AGREEMENT_DAILY_QUERIES = 28


@tagged("post_install", "-at_install")
class TestAgreementDailyQueries(CustomerLedgerCase):
    @freeze_time("2026-11-15")
    def test_worst_case_queries_do_not_grow(self):
        """Every agreement of the chunk expires or is due for its renewal
        reminder, with the chatter's tracking on as in a real run: 10 and 80
        agreements make the same queries."""
        Agreement = self.env["customer.agreement"].with_context(tracking_disable=False)
        # Warm the caches (groups, xml ids, translations) with a whole run.
        self._activate(self._agreement(date_end="2026-11-10"))
        self._activate(self._agreement(renewal_reminder_days=60))
        Agreement._cron_agreement_daily()
        customers = [self.customer, self.other_customer]
        counts = []
        for count in (10, 80):
            agreements = self.env["customer.agreement"].create(
                [
                    {
                        "partner_id": customers[index % 2].id,
                        "title": f"Supply {index}",
                        "amount_total": 100.0,
                        "date_start": "2026-01-01",
                        "renewal_reminder_days": 60,
                        "installment_ids": [
                            fields.Command.create(
                                {"due_date": "2026-01-31", "amount": 100.0}
                            )
                        ],
                    }
                    for index in range(count)
                ]
            )
            # Active straight away (Legal's review is another test's): half
            # ended five days ago, half end within their 60 days' notice.
            self.env.flush_all()
            self.env.cr.execute(
                """
                UPDATE customer_agreement
                   SET state = 'active', name = 'HT-Q' || id,
                       date_signed = '2026-01-05',
                       date_end = CASE WHEN id %% 2 = 0 THEN DATE '2026-11-10'
                                       ELSE DATE '2026-12-31' END
                 WHERE id = ANY(%s)
                """,
                [agreements.ids],
            )
            self.env.invalidate_all()
            # Hand count for one chunk, up to 100 agreements of each kind (the
            # ORM inserts and updates rows 100 at a time): the company and its
            # time zone (2); the cron lock (savepoint, SELECT … NOWAIT, release,
            # and the UPDATE of its cursor: 4); the chunk's ids (1), its
            # agreements (1), the ids of their installments, whose copy of the
            # status the expiry recomputes (1); the expiry: the UPDATE of the
            # agreements and of their installments' status (2), its
            # tracking, one message and one tracking value per agreement (the
            # author, user and partner 2, the INSERT of the messages and the
            # one of the tracking values: 4); the reminders: the agreements
            # due (1), the activity type (1), the owners and their partners (2),
            # the model (1), the followers (1), the INSERT of the activities
            # with every column (1), the UPDATE of renewal_reminded (1), the
            # bus notification (1); the customers' 12-month amounts
            # (read_group, customers, currency, UPDATE: 4).
            # 2 + 4 + 1 + 1 + 1 + 2 + 4 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 4 = 28
            # (35 when mail.activity.create() wrote them: Odoo's check that the
            # last owner follows and the UPDATE of the activities' computed
            # columns; and each installment's copy of the status had its note).
            with counted_queries(self.env) as counted:
                Agreement._cron_agreement_daily()
            counts.append(counted[0])
            expired = agreements.filtered(lambda a: a.date_end.day == 10)
            self.assertEqual(len(expired), count // 2)
            self.assertEqual(set(expired.mapped("state")), {"expired"})
            reminded = agreements - expired
            self.assertTrue(all(reminded.mapped("renewal_reminded")))
            self.assertEqual(
                self.env["mail.activity"].search_count(
                    [
                        ("res_model", "=", "customer.agreement"),
                        ("res_id", "in", reminded.ids),
                    ]
                ),
                count // 2,
            )
            # The chatter tells each expiry, as Odoo's tracking does.
            tracked = self.env["mail.tracking.value"].search(
                [
                    ("mail_message_id.model", "=", "customer.agreement"),
                    ("mail_message_id.res_id", "in", expired.ids),
                ]
            )
            self.assertEqual(len(tracked), count // 2)
            self.assertEqual(set(tracked.mapped("old_value_char")), {"Active"})
            self.assertEqual(set(tracked.mapped("new_value_char")), {"Expired"})
            # Not on each installment: the agreement's chatter tells it.
            self.assertEqual(
                set(expired.installment_ids.mapped("agreement_state")), {"expired"}
            )
            self.assertFalse(
                self.env["mail.message"].search_count(
                    [
                        ("model", "=", "customer.agreement.installment"),
                        ("res_id", "in", expired.installment_ids.ids),
                        ("tracking_value_ids", "!=", False),
                    ]
                )
            )
        # The same queries for 10 as for 80 agreements: the hand count above
        # with the core alone, a few more per chunk with the bridges beside it.
        self.assertEqual(counts[0], counts[1], counts)
        self.assertGreaterEqual(counts[0], AGREEMENT_DAILY_QUERIES)
        self.assertLessEqual(
            counts[0], AGREEMENT_DAILY_QUERIES + BRIDGE_QUERIES_PER_CHUNK
        )
