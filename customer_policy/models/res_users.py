from collections import defaultdict

from odoo import api, models
from odoo.exceptions import RedirectWarning, ValidationError

from .customer_agreement import RECEIVABLE_STATES


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

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self.filtered("active")._customer_policy_check_leavers()
        return super().write(vals)

    def _customer_policy_check_leavers(self):
        """Refuse to archive users who would strand customers (离职交接): what they
        still own or handle is counted for all of them at once, and the message
        opens the hand-over of the first one."""
        work = self._customer_policy_open_work()
        if not work:
            return
        lines = [
            self.env._(
                "%(user)s still has %(work)s.",
                user=user.name,
                work=", ".join(items),
            )
            for user, items in work.items()
        ]
        first = next(iter(work))
        raise RedirectWarning(
            self.env._(
                "Hand over before archiving: nobody would follow these customers "
                "and records any more.\n%(lines)s",
                lines="\n".join(lines),
            ),
            "customer_policy.action_customer_handover_wizard",
            self.env._("Hand Over %(user)s's Customers", user=first.name),
            {"default_user_id": first.id},
        )

    def _customer_policy_open_work(self):
        """{user: [how many of each kind of open work, as text]} for the users of
        ``self`` that still own customers or handle open records: one grouped
        count per kind of record, whatever the number of users."""
        counts = defaultdict(dict)
        Partner = self.env["res.partner"].sudo()
        for user, count in Partner._read_group(
            [
                ("user_id", "in", self.ids),
                ("customer_policy_managed", "=", True),
                ("parent_id", "=", False),
            ],
            ["user_id"],
            ["__count"],
        ):
            counts[user]["customers"] = count
        for spec in Partner._customer_policy_handover_models():
            Model = self.env[spec["model"]].sudo()
            for user, count in Model._read_group(
                [(spec["user_field"], "in", self.ids), *spec["domain"]],
                [spec["user_field"]],
                ["__count"],
            ):
                counts[user][spec["model"]] = count
        for agreement, count in (
            self.env["customer.agreement.installment"]
            .sudo()
            ._read_group(
                [
                    ("agreement_id.user_id", "in", self.ids),
                    ("agreement_state", "in", list(RECEIVABLE_STATES)),
                    ("state", "!=", "paid"),
                ],
                ["agreement_id"],
                ["__count"],
            )
        ):
            unpaid = counts[agreement.user_id]
            unpaid["installments"] = unpaid.get("installments", 0) + count
        return {
            user: self._customer_policy_describe_work(found)
            for user, found in counts.items()
            if user in self
        }

    def _customer_policy_describe_work(self, found):
        """The counts of one user's open work, in words, the customers first."""
        labels = {
            "customers": lambda n: self.env._("customers: %(count)s", count=n),
            "customer.agreement": lambda n: self.env._(
                "open agreements: %(count)s", count=n
            ),
            "installments": lambda n: self.env._(
                "unpaid installments: %(count)s", count=n
            ),
            "customer.complaint": lambda n: self.env._(
                "open complaints: %(count)s", count=n
            ),
            "customer.visit": lambda n: self.env._(
                "planned visits: %(count)s", count=n
            ),
            "customer.return.schedule": lambda n: self.env._(
                "return-visit schedules in service: %(count)s", count=n
            ),
        }
        ordered = [key for key in labels if key in found]
        ordered += [key for key in found if key not in labels]
        return [
            labels[key](found[key])
            if key in labels
            else self.env._(
                "%(records)s: %(count)s",
                count=found[key],
                records=self.env["ir.model"]._get(key).name,
            )
            for key in ordered
        ]

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
