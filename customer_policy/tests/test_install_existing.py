from collections import deque

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models.res_partner_install import INSTALL_MARKER, INSTALL_VALUES


@tagged("post_install", "-at_install")
class TestInstallOnExistingPartners(TransactionCase):
    """Going live on a database that already holds contacts: the install leaves
    their history alone (no chatter message, no tracking value)."""

    def _replay_install(self):
        """Initialise the dropped columns as the install does
        (Registry.init_models): columns, then what waits for every model to
        have its columns; then commit's work (tracking values)."""
        self.env.invalidate_all()
        self.registry._post_init_queue = deque()
        try:
            self.env["res.partner"]._auto_init()
            # The rest of the queue is the ORM's bookkeeping of the column
            # (foreign keys, relations) that the test transaction does not need.
            for call in self.registry._post_init_queue:
                if call.func.__name__ == "_customer_policy_init_columns":
                    call()
        finally:
            del self.registry._post_init_queue
        self.env.flush_all()
        # Tracking values are written when the transaction commits.
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _tracking_on(self, partners):
        """The tracking values of the addons' own fields on ``partners``."""
        own_fields = (
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=like", "customer_policy%"),
                    ("model", "=", "ir.model.fields"),
                ]
            )
            .mapped("res_id")
        )
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", partners.ids),
                ("field_id", "in", own_fields),
            ]
        )
        # Odoo's own fields that the addon tracks (phone, tax ID…) change when
        # the demo data fills the demo company's address: not the install's.
        return values.filtered(
            lambda value: "base" not in value.field_id.modules.split(", ")
        ).mapped("field_id.name")

    def _existing(self):
        """The partners that were there before the addon: created before its
        first data (the tiers)."""
        installed = self.env.ref("customer_policy.customer_tier_strategic")
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("create_date", "<", installed.create_date)])
        )

    def test_existing_partners_have_no_install_message(self):
        existing = self._existing()
        self.assertTrue(existing, "the database had contacts before the install")
        self.assertFalse(self._tracking_on(existing))
        # And they stay as they were: unregistered unless the demo data
        # registered them.
        self.assertEqual(
            set(
                existing.filtered(
                    lambda partner: not partner.customer_policy_managed
                ).mapped("registration_state")
            ),
            {"draft"},
        )

    def test_new_columns_initialised_without_tracking(self):
        """What the install does on an existing database, replayed on partners
        made before: the registration column dropped, then created again."""
        # Partners of an earlier transaction: Odoo does not track the records a
        # transaction creates itself.
        partners = self._existing()
        messages = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        self.env.cr.execute(
            "ALTER TABLE res_partner DROP COLUMN registration_state CASCADE"
        )
        self._replay_install()
        self.assertEqual(set(partners.mapped("registration_state")), {"draft"})
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ),
            messages,
        )
        self.assertFalse(self._tracking_on(partners))

    def test_install_initialises_known_columns_as_the_orm_would(self):
        """At install (no column of the addon yet), the columns whose value is
        known come with it and the keys and completeness are computed in SQL
        batches: each unmanaged partner ends as the ORM computes it."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        # As they are at install: none of the addon's data (the demo data may
        # have given some to the partners that were there).
        partners = self._existing().filtered(
            lambda partner: (
                not (
                    partner.customer_policy_managed
                    or partner.customer_agreement_ids
                    or partner.first_contact_date
                    or partner.birthday
                    or partner.sudo().resident_id_number
                    or partner.sudo().personal_mobile
                )
            )
        )
        # A company with every kind of key, and one without any.
        partners |= Partner.create(
            {
                "name": "上海 星河科技（有限公司）",
                "is_company": True,
                "vat": "91310115-ma1k4b5c3k",
                "phone": "+86 21 6738 5035",
                "email": "li@xinghe.example.cn",
                "city": "Shanghai",
            }
        )
        partners |= Partner.create({"name": "Plain Person"})
        self.env.flush_all()
        # New partners get the day of the first contact, which the existing
        # ones have not: its column is new at install.
        self.env.cr.execute(
            "UPDATE res_partner SET first_contact_date = NULL WHERE id = ANY(%s)",
            [partners.ids],
        )
        self.env.invalidate_all()
        names = sorted({*INSTALL_VALUES, INSTALL_MARKER} & set(Partner._fields))
        # The ORM's values, computed now for these partners.
        for name in INSTALL_VALUES:
            if name in Partner._fields:
                self.env.add_to_compute(Partner._fields[name], partners)
        self.env.flush_all()
        expected = partners.read(names)
        self.assertTrue(any(row["customer_policy_vat_key"] for row in expected))
        messages = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        for name in names:
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE res_partner DROP COLUMN %s CASCADE",
                    SQL.identifier(name),
                )
            )
        self._replay_install()
        self.assertEqual(partners.read(names), expected)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ),
            messages,
        )
