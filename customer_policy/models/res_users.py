from odoo import api, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.constrains("groups_id")
    def _check_customer_policy_service_desk(self):
        # The service desk reads every customer; the confidential archive fields are
        # shown to the User rank. Both together would open the confidential fields
        # of every customer, so a salesperson or manager cannot hold the duty
        # (Directors read everything anyway).
        for user in self:
            if (
                user.has_group("customer_policy.group_service")
                and user.has_group("customer_policy.group_user")
                and not user.has_group("customer_policy.group_director")
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be both on the service desk and a "
                        "salesperson or manager of the Customer Policy: the service "
                        "desk reads every customer, salespeople read the confidential "
                        "archive of theirs.",
                        user=user.name,
                    )
                )

    @api.model
    def _customer_policy_directors(self, company=None):
        """The Directors (general management) of the policy: active internal users
        of the Director group, those working in ``company`` when one is given, the
        oldest account first ("the first Director" wherever the settings name
        none)."""
        domain = [
            ("groups_id", "in", self.env.ref("customer_policy.group_director").id),
            ("share", "=", False),
        ]
        if company:
            domain.append(("company_ids", "in", company.id))
        return self.sudo().search(domain, order="id")

    @api.model
    def _customer_policy_general_manager(self, company, excluded=None):
        """The general manager (总经理) of ``company`` who decides what goes above a
        department: the one named in Settings, else the first Director; never
        ``excluded`` (nobody decides their own case)."""
        excluded = excluded or self.browse()
        chosen = company.sudo().customer_access_approver_id
        if chosen and chosen != excluded and chosen.active:
            return chosen
        return (self._customer_policy_directors(company) - excluded)[:1]
