from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.customer_policy.tests.common import counted_queries

from .common import CustomerSurveyCase

LAYOUT = "mail.mail_notification_light"


@tagged("post_install", "-at_install")
class TestCustomerSurveyChunks(CustomerSurveyCase):
    """The go-live run invites every customer, a chunk per call: a call reads
    its chunk only, picks the same contact as ``_customer_policy_main_contact``
    and reports what remains."""

    def _send(self, limit, day="2026-08-03 02:00:00"):
        """One call of the cron as the runner makes it: (invitations, done,
        remaining, queries)."""
        cron = self.env.ref("customer_policy_survey.ir_cron_customer_survey")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.env.invalidate_all()
        Invitation = self.Invitation.with_context(ir_cron_progress_id=progress.id)
        with freeze_time(day), counted_queries(self.env) as counted:
            invitations = Invitation._cron_send_customer_surveys(limit=limit)
        return invitations, progress.done, progress.remaining, counted[0]

    def test_main_contact_chosen_in_sql_as_in_python(self):
        own_email, _contact = self._customer_with_contact(
            "自有邮箱有限公司", self.tier_general
        )
        own_email.email = "info@own-email.cn"
        empty_email, empty_contact = self._customer_with_contact(
            "空邮箱有限公司", self.tier_general
        )
        empty_email.email = ""
        # Contacts that cannot receive it: archived, an invoice address, no
        # e-mail; of the two that can, the first by name (res.partner's order).
        picky = self._customer("挑选联系人有限公司", self.tier_general)
        Partner = self.env["res.partner"]
        contact = {"parent_id": picky.id, "type": "contact"}
        Partner.create(
            {**contact, "name": "A 已归档", "email": "a@picky.cn", "active": False}
        )
        Partner.create(
            {**contact, "name": "B 开票", "email": "b@picky.cn", "type": "invoice"}
        )
        Partner.create({**contact, "name": "C 无邮箱"})
        Partner.create({**contact, "name": "E 第二", "email": "e@picky.cn"})
        picky_contact = Partner.create(
            {**contact, "name": "D 第一", "email": "d@picky.cn"}
        )
        # Two contacts of the same name: the newer one (ids descending).
        twins = self._customer("同名联系人有限公司", self.tier_general)
        Partner.create(
            {**contact, "parent_id": twins.id, "name": "王", "email": "1@t.cn"}
        )
        twin = Partner.create(
            {**contact, "parent_id": twins.id, "name": "王", "email": "2@t.cn"}
        )
        # The first contact that can receive it opted out: nobody is asked.
        opted = self._customer("联系人拒收有限公司", self.tier_general)
        Partner.create(
            {
                **contact,
                "parent_id": opted.id,
                "name": "A 拒收",
                "email": "a@opted.cn",
                "care_opt_out": True,
            }
        )
        Partner.create(
            {**contact, "parent_id": opted.id, "name": "B 可收", "email": "b@opted.cn"}
        )
        nobody = self._customer("无联系人有限公司", self.tier_general)
        customers = own_email | empty_email | picky | twins | opted | nobody
        sent, done, remaining, _queries = self._send(100)
        invitations = sent.filtered(lambda i: i.partner_id in customers)
        expected = {
            own_email: own_email,
            empty_email: empty_contact,
            picky: picky_contact,
            twins: twin,
        }
        self.assertEqual({i.partner_id: i.contact_id for i in invitations}, expected)
        for customer in customers:
            main = customer._customer_policy_main_contact()
            if customer in expected:
                self.assertEqual(main, expected[customer])
            else:
                self.assertTrue(not main or main.care_opt_out)
        self.assertFalse(self._invitations(opted | nobody))
        self.assertEqual(done, len(sent))
        self.assertEqual(remaining, 0)

    def test_queries_per_call_whatever_the_customers_left(self):
        """9 customers, 4 a call: 3 calls, the first two the same queries
        whatever is left behind them; the last, short, no count."""
        self._customer_with_contact("预热", self.tier_general)
        self._send(1000)  # warm-up: the template, the layout and their caches
        customers = self.env["res.partner"]
        for i in range(9):
            customers |= self._customer_with_contact(
                f"分批客户 {i}", self.tier_general
            )[0]
        calls = [self._send(4) for _i in range(4)]
        self.assertEqual(
            [
                (len(invitations), done, remaining)
                for invitations, done, remaining, _q in calls
            ],
            [(4, 4, 5), (4, 4, 1), (1, 1, 0), (0, 0, 0)],
        )
        self.assertEqual(calls[0][3], calls[1][3])
        self.assertEqual(calls[2][3], calls[0][3] - 1)
        self.assertEqual(
            sum((c[0] for c in calls), self.Invitation).partner_id, customers
        )
        self.assertEqual(len(self._invitations(customers)), 9)
        # Taken in the order of the customers.
        self.assertEqual(calls[0][0].partner_id, customers[:4])
        # One mail per invitation, to its contact.
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "survey.user_input"),
                ("res_id", "in", self._invitations(customers).user_input_id.ids),
            ]
        )
        self.assertEqual(len(mails), 9)
        self.assertEqual(
            set(mails.mapped("email_to")),
            set(self._invitations(customers).contact_id.mapped("email_formatted")),
        )
        self.assertLess(calls[0][3], 40)

    def test_two_workers_find_the_same_chunk(self):
        """Two workers found the same chunk: the second claims nothing, mails
        nothing, and nothing is due after them."""
        customers = self.env["res.partner"]
        for i in range(3):
            customers |= self._customer_with_contact(
                f"并发客户 {i}", self.tier_general
            )[0]
        today = date(2026, 8, 3)
        # The customers of the common setup first, then the chunk of these.
        self.Invitation._customer_policy_claim(
            self.Invitation._customer_policy_due_invitations(today, 1000)[:-3]
        )
        rows = self.Invitation._customer_policy_due_invitations(today, 1000)
        self.assertEqual([row[0] for row in rows], customers.ids)
        first = self.Invitation._customer_policy_claim(rows)
        second = self.Invitation._customer_policy_claim(rows)
        self.assertEqual(first.partner_id, customers)
        self.assertFalse(second)
        with freeze_time("2026-08-03 02:00:00"):
            first._customer_policy_send(today)
            second._customer_policy_send(today)
        self.assertEqual(len(self._invitations(customers).user_input_id), 3)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [
                    ("model", "=", "survey.user_input"),
                    ("res_id", "in", first.user_input_id.ids),
                ]
            ),
            3,
        )
        self.assertEqual(self.Invitation._customer_policy_due_invitations(today), 0)


@tagged("post_install", "-at_install")
class TestCustomerSurveyMails(CustomerSurveyCase):
    """The mails of the invitations are those ``send_mail_batch`` makes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.template = cls.env.ref(
            "customer_policy_survey.mail_template_customer_survey_invite"
        )
        cls.customers = cls.env["res.partner"]
        for name, lang in (
            ("上海/浦东 <客户> & 伙伴", "zh_CN"),
            ("English Customer Ltd", "en_US"),
            ("北京客户有限公司", "zh_CN"),
        ):
            customer, _contact = cls._customer_with_contact(
                name, cls.tier_general, {"lang": lang}
            )
            cls.customers |= customer

    def _mail_values(self, mails):
        fields = (
            "subject",
            "body_html",
            "email_from",
            "email_to",
            "email_cc",
            "reply_to",
            "recipient_ids",
            "partner_ids",
            "model",
            "res_id",
            "auto_delete",
            "mail_server_id",
            "scheduled_date",
            "attachment_ids",
            "message_type",
            "author_id",
            "record_name",
            "state",
        )
        return {mail.res_id: {f: mail[f] for f in fields} for mail in mails}

    def test_mail_as_send_mail_batch_makes_it(self):
        self.survey.title = "客户/满意度 & 调查"
        with freeze_time("2026-08-03 02:00:00"):
            self.Invitation._cron_send_customer_surveys()
        answers = self._invitations(self.customers).user_input_id
        self.assertEqual(len(answers), 3)
        Mail = self.env["mail.mail"]
        ours = Mail.search(
            [("model", "=", "survey.user_input"), ("res_id", "in", answers.ids)]
        )
        with freeze_time("2026-08-03 02:00:00"):
            odoos = self.template.send_mail_batch(
                answers.ids, email_layout_xmlid=LAYOUT
            )
        self.assertEqual(len(ours), 3)
        self.assertEqual(self._mail_values(ours), self._mail_values(odoos))
        for mail in ours:
            answer = answers.browse(mail.res_id)
            self.assertIn(
                f"/survey/start/{answer.survey_id.access_token}", mail.body_html
            )
            self.assertIn(f"answer_token={answer.access_token}", mail.body_html)
            self.assertEqual(mail.email_to, answer.partner_id.email_formatted)
            self.assertIn("<html", mail.body_html)
            # The message keeps the template's body, as Odoo's composer in mass
            # mode: the layout is in the mail only.
            self.assertIn(answer.access_token, mail.mail_message_id.body)
            self.assertNotIn("<html", mail.mail_message_id.body)
        # The names in the body and in the layout's header, escaped; the
        # header's name (the survey's) with "-" for "/", as the layout shows it.
        mail = ours.filtered(
            lambda m: "浦东" in answers.browse(m.res_id).partner_id.parent_id.name
        )
        self.assertIn("上海/浦东 &lt;客户&gt; &amp; 伙伴 联系人", mail.body_html)
        self.assertIn("客户-满意度 &amp; 调查", mail.body_html)

    def test_layout_without_marks_rendered_per_mail(self):
        """A layout that shows the body, preview or name other than once is
        rendered for each mail, as ``send_mail_batch`` does."""
        with freeze_time("2026-08-03 02:00:00"):
            self.Invitation._cron_send_customer_surveys()
        answers = self._invitations(self.customers).user_input_id
        layout = "mail.mail_notification_layout"
        self.assertIsNone(
            answers[:1]._customer_policy_layout(layout, "en_US", self.env.company)
        )
        ours = answers._customer_policy_mail_batched(self.template, layout)
        odoos = self.template.send_mail_batch(answers.ids, email_layout_xmlid=layout)
        self.assertEqual(self._mail_values(ours), self._mail_values(odoos))
