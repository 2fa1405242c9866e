from .common import CustomerPolicyCase


class CustomerVisitCase(CustomerPolicyCase):
    """A customer of each tier owned by ``user_sales`` (department ``team``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_strategic = cls.env.ref("customer_policy.customer_tier_strategic")
        cls.tier_key = cls.env.ref("customer_policy.customer_tier_key")
        cls.tier_general = cls.env.ref("customer_policy.customer_tier_general")
        cls.tier_potential = cls.env.ref("customer_policy.customer_tier_potential")
        # The tiers' staffing rules are not what these tests are about.
        (cls.tier_strategic | cls.tier_key).write(
            {"requires_project_team": False, "requires_senior_owner": False}
        )
        cls.customer_strategic = cls._customer("战略客户有限公司", cls.tier_strategic)
        cls.customer_general = cls._customer("一般客户有限公司", cls.tier_general)
        cls.customer_untiered = cls._customer("未分级客户有限公司", False)

    @classmethod
    def _customer(cls, name, tier, user=None, **vals):
        user = user or cls.user_sales
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_policy_managed": True,
                "user_id": user.id,
                "team_id": cls.team.id,
                "customer_tier_id": tier and tier.id,
            }
            | vals
        )

    def _visit(self, customer, state="done", when="2026-01-05 02:00:00", **vals):
        values = {
            "partner_id": customer.id,
            "planned_date": when,
            "visit_type": "visit",
            "summary": "Discussed the renewal",
            "customer_feedback": "Satisfied",
        } | vals
        if state == "done":
            values.update(state="done", done_date=values.get("done_date", when))
        elif state == "cancelled":
            values.update(state="cancelled", cancel_reason="Customer busy")
        return self.env["customer.visit"].create(values)
