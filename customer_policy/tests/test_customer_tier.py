from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CustomerTierCase


@tagged("post_install", "-at_install")
class TestCustomerTierConfig(CustomerTierCase):
    def test_shipped_tiers_and_defaults(self):
        tiers = self.env["customer.tier"].search(
            [("code", "in", ["strategic", "key", "general", "potential"])]
        )
        self.assertEqual(len(tiers), 4)
        expected = {
            "strategic": (2, "month", True, False, True),
            "key": (2, "month", False, True, False),
            "general": (1, "quarter", False, False, False),
            "potential": (1, "quarter", False, False, False),
        }
        for tier in tiers:
            with self.subTest(tier=tier.code):
                self.assertEqual(
                    (
                        tier.visit_min_count,
                        tier.visit_period,
                        tier.requires_project_team,
                        tier.requires_senior_owner,
                        tier.director_approval,
                    ),
                    expected[tier.code],
                )
        ranks = [t.code for t in tiers.sorted(lambda t: t._customer_policy_rank())]
        self.assertEqual(ranks, ["strategic", "key", "general", "potential"])

    def test_tier_names_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_policy"], ["zh_CN"], overwrite=True
        )
        names = {
            self.tier_strategic: "战略客户",
            self.tier_key: "重点客户",
            self.tier_general: "一般客户",
            self.tier_potential: "潜在客户",
        }
        for tier, name in names.items():
            self.assertEqual(tier.with_context(lang="zh_CN").name, name)

    def test_only_directors_edit_tiers(self):
        for user in (
            self.user_sales,
            self.user_manager,
            self.user_legal,
            self.user_finance,
        ):
            with self.subTest(user=user.login):
                tier = self.tier_key.with_user(user)
                self.assertEqual(tier.visit_min_count, 2)  # they read the rules
                with self.assertRaises(AccessError):
                    tier.write({"visit_min_count": 9})
                with self.assertRaises(AccessError):
                    self.env["customer.tier"].with_user(user).create(
                        {"name": "VIP", "code": "vip"}
                    )
        self.tier_key.with_user(self.user_director).write({"visit_min_count": 3})
        self.assertEqual(self.tier_key.visit_min_count, 3)
        new = (
            self.env["customer.tier"]
            .with_user(self.user_director)
            .create({"name": "Company-level", "code": "company_level", "sequence": 5})
        )
        self.assertTrue(new.active)

    def test_tier_code_unique(self):
        with self.assertRaises(ValidationError):
            self.env["customer.tier"].create({"name": "Again", "code": "key"})

    def test_settings_for_tiers(self):
        with Form(
            self.env["res.config.settings"].with_user(self.user_admin)
        ) as settings:
            settings.customer_tier_grace_days = 60
            settings.customer_senior_salesperson_ids.add(self.user_sales_2)
        settings.save().execute()
        self.assertEqual(self.company.customer_tier_grace_days, 60)
        self.assertEqual(
            self.company.customer_senior_salesperson_ids,
            self.user_sales | self.user_sales_2,
        )
        with self.assertRaises(ValidationError):
            self.company.customer_tier_grace_days = -1
        with self.assertRaises(ValidationError):
            self.company.customer_tier_approver_id = self.user_manager


@tagged("post_install", "-at_install")
class TestCustomerTierRules(CustomerTierCase):
    def test_project_team_required(self):
        self.customer.customer_project_team_ids = [Command.set([self.user_sales.id])]
        partner = self.customer.with_user(self.user_director)
        with self.assertRaises(ValidationError) as error:
            partner.action_change_tier(self.tier_strategic.id, "Framework agreement")
        self.assertIn("project team of at least 2 members", str(error.exception))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_tier_id, self.tier_potential)
        self.assertEqual(len(self._history(self.customer)), 1)  # the initial tier

        self.customer.customer_project_team_ids = [Command.link(self.user_manager.id)]
        partner.action_change_tier(self.tier_strategic.id, "Framework agreement")
        self.assertEqual(self.customer.customer_tier_id, self.tier_strategic)
        # The team cannot shrink below the rule afterwards.
        with self.assertRaises(ValidationError):
            self.customer.customer_project_team_ids = [
                Command.unlink(self.user_manager.id)
            ]

    def test_senior_owner_required(self):
        customer = self._customer("北京华夏数据技术有限公司", user=self.user_sales_2)
        with self.assertRaises(ValidationError) as error:
            customer.with_user(self.user_director).action_change_tier(
                self.tier_key.id, "Yearly volume doubled"
            )
        self.assertIn("senior salesperson", str(error.exception))
        self.assertIn("Sales User 2", str(error.exception))
        customer.invalidate_recordset()
        self.assertFalse(customer.customer_tier_id)
        self.assertFalse(self._history(customer))

        customer.user_id = self.user_sales
        customer.with_user(self.user_director).action_change_tier(
            self.tier_key.id, "Yearly volume doubled"
        )
        self.assertEqual(customer.customer_tier_id, self.tier_key)
        with self.assertRaises(ValidationError):
            customer.user_id = self.user_sales_2
        with self.assertRaises(ValidationError):
            customer.user_id = False


@tagged("post_install", "-at_install")
class TestCustomerTierChange(CustomerTierCase):
    def test_salesperson_cannot_change_tier(self):
        partner = self.customer.with_user(self.user_sales)
        with self.assertRaises(AccessError) as error:
            partner.action_change_tier(self.tier_general.id, "Signed a first order")
        self.assertIn("Only a Manager or a Director", str(error.exception))
        with self.assertRaises(AccessError):
            partner.with_context(customer_tier_change_reason="x").write(
                {"customer_tier_id": self.tier_general.id}
            )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_tier_id, self.tier_potential)
        self.assertEqual(len(self._history(self.customer)), 1)

    def test_manager_changes_tier_with_reason(self):
        partner = self.customer.with_user(self.user_manager)
        self.assertTrue(
            partner.action_change_tier(self.tier_general.id, "  Signed a first order ")
        )
        self.assertEqual(self.customer.customer_tier_id, self.tier_general)
        last = self._history(self.customer)[-1]
        self.assertEqual(last.old_tier_id, self.tier_potential)
        self.assertEqual(last.new_tier_id, self.tier_general)
        self.assertEqual(last.user_id, self.user_manager)
        self.assertEqual(last.reason, "Signed a first order")
        self.assertEqual(last.change_type, "manual")
        # The manager reads it; so does the owner.
        self.assertEqual(last.with_user(self.user_sales).reason, "Signed a first order")
        partner.action_change_tier(self.tier_key.id, "Yearly volume doubled")
        self.assertEqual(self.customer.customer_tier_id, self.tier_key)

    def test_reason_required(self):
        partner = self.customer.with_user(self.user_manager)
        for reason in ("", "   ", None):
            with self.assertRaises(UserError) as error:
                partner.action_change_tier(self.tier_general.id, reason)
            self.assertIn("reason", str(error.exception))
        with self.assertRaises(UserError):
            partner.write({"customer_tier_id": self.tier_general.id})
        with self.assertRaises(UserError):
            partner.action_change_tier(self.tier_potential.id, "Same again")
        with self.assertRaises(UserError):
            partner.action_change_tier(999999, "No such tier")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_tier_id, self.tier_potential)
        self.assertEqual(len(self._history(self.customer)), 1)

    def test_strategic_is_for_directors(self):
        self.customer.customer_project_team_ids = [
            Command.set([self.user_sales.id, self.user_manager.id])
        ]
        with self.assertRaises(AccessError) as error:
            self.customer.with_user(self.user_manager).action_change_tier(
                self.tier_strategic.id, "Largest account"
            )
        self.assertIn("Only a Director", str(error.exception))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_tier_id, self.tier_potential)
        self.customer.with_user(self.user_director).action_change_tier(
            self.tier_strategic.id, "Largest account"
        )
        self.assertEqual(self.customer.customer_tier_id, self.tier_strategic)
        # ... and out of it as well.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_manager).action_change_tier(
                self.tier_general.id, "Smaller now"
            )
        self.assertEqual(self.customer.customer_tier_id, self.tier_strategic)

    def test_pinned_tier(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_manager).write({"tier_locked": True})
        self.assertFalse(self.customer.tier_locked)
        wizard_action = self.customer.with_user(
            self.user_director
        ).action_open_tier_change_wizard()
        with Form(
            self.env["customer.tier.change.wizard"]
            .with_user(self.user_director)
            .with_context(**wizard_action["context"])
        ) as wizard:
            wizard.tier_id = self.tier_general
            wizard.reason = "Agreed with the general manager"
            self.assertTrue(wizard.is_director)
            wizard.lock = True
        wizard.record.action_confirm()
        self.assertEqual(self.customer.customer_tier_id, self.tier_general)
        self.assertTrue(self.customer.tier_locked)
        with self.assertRaises(AccessError) as error:
            self.customer.with_user(self.user_manager).action_change_tier(
                self.tier_key.id, "Grew"
            )
        self.assertIn("pinned", str(error.exception))
        self.customer.with_user(self.user_director).action_unlock_tier()
        self.assertFalse(self.customer.tier_locked)

    def test_history_is_read_only(self):
        history = self._history(self.customer)
        self.assertEqual(len(history), 1)
        self.assertEqual(history.new_tier_id, self.tier_potential)
        for user in (self.user_director, self.user_admin):
            with self.assertRaises(UserError):
                history.with_user(user).write({"reason": "rewritten"})
            with self.assertRaises(AccessError):
                history.with_user(user).unlink()
        with self.assertRaises(UserError):
            history.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["customer.tier.history"].with_user(self.user_director).create(
                {
                    "partner_id": self.customer.id,
                    "new_tier_id": self.tier_key.id,
                    "reason": "forged",
                }
            )
        self.assertEqual(history.reason, "Tier given at creation.")

    def test_apply_suggestion_wizard(self):
        self._set_amount(self.customer, 1_500_000)
        self.assertEqual(self.customer.tier_suggested_id, self.tier_key)
        action = (
            self.customer.with_user(self.user_manager)
            .with_context(customer_tier_apply_suggestion=True)
            .action_open_tier_change_wizard()
        )
        wizard = Form(
            self.env["customer.tier.change.wizard"]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.tier_id, self.tier_key)
        self.assertIn("1,500,000", wizard.reason)
        self.assertFalse(wizard.is_director)
        wizard.save().action_confirm()
        self.assertEqual(self.customer.customer_tier_id, self.tier_key)
        self.assertEqual(self.customer.tier_suggested_id, self.tier_key)

    def test_suggestion_from_amount(self):
        cases = [
            (0, self.tier_potential),
            (1, self.tier_general),
            (999_999, self.tier_general),
            (1_000_000, self.tier_key),
            (5_000_000, self.tier_strategic),
        ]
        for amount, tier in cases:
            with self.subTest(amount=amount):
                self._set_amount(self.customer, amount)
                self.customer.invalidate_recordset(["tier_suggested_id"])
                self.assertEqual(self.customer.tier_suggested_id, tier)
        self.assertEqual(self.customer.annual_contract_amount, 5_000_000)
        contact = self.env["res.partner"].create(
            {"name": "王建国", "parent_id": self.customer.id}
        )
        self.assertFalse(contact.tier_suggested_id)

    def test_annual_amount_zero_without_agreements(self):
        self.assertEqual(self.customer.annual_contract_amount, 0)
        self.assertEqual(self.customer.tier_suggested_id, self.tier_potential)

    def test_copy_starts_ungraded(self):
        copy = self.customer.with_user(self.user_sales).copy()
        self.assertFalse(copy.customer_tier_id)
        self.assertFalse(self._history(copy))

    def test_project_team_member_sees_customer(self):
        other = self._customer("深圳前海物流有限公司", self.tier_potential)
        member = self.user_sales_2
        self.assertFalse(other.with_user(member)._filtered_access("read"))
        other.customer_project_team_ids = [Command.set([member.id])]
        contact = self.env["res.partner"].create(
            {"name": "李丽华", "parent_id": other.id}
        )
        self.assertEqual(
            (other | contact).with_user(member)._filtered_access("read"),
            other | contact,
        )
        self.assertEqual(other.with_user(member).name, "深圳前海物流有限公司")
        self.assertTrue(self._history(other).with_user(member)._filtered_access("read"))
        # Serving the customer does not make the member its owner.
        with self.assertRaises(AccessError):
            other.with_user(member).write({"phone": "+86 755 0000 0000"})
        with self.assertRaises(AccessError):
            self._history(other).with_user(self.user_internal).read(["reason"])


@tagged("post_install", "-at_install")
class TestCustomerTierViews(CustomerTierCase):
    def test_only_customers_are_graded(self):
        contact = self.env["res.partner"].create(
            {"name": "王建国", "parent_id": self.customer.id}
        )
        vendor = self.env["res.partner"].create({"name": "Office Supplies Ltd"})
        for partner in (contact, vendor):
            with self.assertRaises(UserError):
                partner.with_user(self.user_director).action_change_tier(
                    self.tier_general.id, "Good supplier"
                )
            self.assertFalse(partner.customer_tier_id)

    def test_partner_form_for_every_user(self):
        """The tier parts of the form show to policy users only, and load for all."""
        for user in (self.user_internal, self.user_legal, self.user_sales):
            with self.subTest(user=user.login):
                arch = (
                    self.env["res.partner"]
                    .with_user(user)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                shown = user.has_group("customer_policy.group_user")
                self.assertEqual('name="customer_tier_history_ids"' in arch, shown)
                self.assertEqual("action_open_tier_change_wizard" in arch, False)
        arch = (
            self.env["res.partner"]
            .with_user(self.user_manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_open_tier_change_wizard", arch)
        self.assertNotIn("action_unlock_tier", arch)

    def test_analysis_by_tier_industry_department(self):
        industry = self.env["res.partner.industry"].create({"name": "Manufacturing"})
        other_team = self.env["crm.team"].create({"name": "Other Department"})
        self.customer.industry_id = industry
        self._customer(
            "华东精密制造有限公司", self.tier_general, industry_id=industry.id
        )
        self._customer(
            "北方重工有限公司",
            self.tier_general,
            user=self.user_sales_2,
            team_id=other_team.id,
        )
        domain = [("customer_policy_managed", "=", True), ("parent_id", "=", False)]
        groups = (
            self.env["res.partner"]
            .with_user(self.user_manager)
            ._read_group(
                domain,
                groupby=["customer_tier_id", "industry_id", "team_id"],
                aggregates=["__count", "annual_contract_amount:sum"],
            )
        )
        # The manager sees the customers of the department they lead only.
        self.assertEqual(
            {(t.code, i.name, d.name, n) for t, i, d, n, _amount in groups},
            {
                ("potential", "Manufacturing", "Test Department", 1),
                ("general", "Manufacturing", "Test Department", 1),
            },
        )
        by_tier = self.env.ref(
            "customer_policy.action_customer_policy_customer_by_tier"
        )
        self.assertIn("customer_tier_id", by_tier.context)
        self.assertEqual(
            by_tier.view_ids.mapped("view_mode"),
            ["list", "kanban", "form", "pivot", "graph"],
        )

    def test_tier_smart_button(self):
        action = self.tier_potential.action_view_partners()
        self.assertEqual(action["res_model"], "res.partner")
        found = self.env["res.partner"].search(action["domain"])
        self.assertIn(self.customer, found)
        self.assertEqual(self.tier_potential.partner_count, len(found))
