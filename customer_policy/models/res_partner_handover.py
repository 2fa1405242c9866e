from collections import defaultdict

from odoo import models

# The records of a customer inherit this mixin; the hand-over finds them through it.
CUSTOMER_MIXIN = "customer.policy.customer.mixin"


class ResPartner(models.Model):
    """Staff hand-over (离职交接): a leaving user's customers, their contact
    persons, their open records and activities go to successors."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _customer_policy_main_contact(self):
        """Who hears from the company for this customer: itself when it has an
        e-mail address, else its first contact person with one."""
        self.ensure_one()
        customer = self.commercial_partner_id
        if customer.email:
            return customer
        return customer.child_ids.filtered(
            lambda c: c.email and c.type == "contact" and c.active
        )[:1]

    def _customer_policy_handover_models(self):
        """Records that follow a customer when its owner leaves.

        Every model inheriting ``customer.policy.customer.mixin`` whose
        ``_customer_policy_handover_domain()`` is not ``None`` (e.g. planned visits,
        running agreements, open complaints), as a dict with ``model``,
        ``partner_field`` (the customer it belongs to), ``user_field`` (its
        responsible user) and ``domain`` (what is still open). Records of the
        leaving user on the handed-over customers move to the customer's
        successor, with their open activities of the leaving user. Extend to plug
        in a model that does not inherit the mixin.
        """
        specs = []
        for model_name in self.env.registry.descendants([CUSTOMER_MIXIN], "_inherit"):
            Model = self.env[model_name]
            if Model._abstract or Model._transient:
                continue
            domain = Model._customer_policy_handover_domain()
            if domain is not None:
                specs.append(
                    {
                        "model": model_name,
                        "partner_field": "partner_id",
                        "user_field": "user_id",
                        "domain": domain,
                    }
                )
        return specs

    def _customer_policy_handover_records(self, successor_by_partner, leaving_user):
        """Move the customers of ``self`` from ``leaving_user`` to their successors.

        :param dict successor_by_partner: ``{partner id: res.users record}`` for every
            customer of ``self``
        :param leaving_user: the res.users record handing over
        Moves the customers, their contact persons owned by the leaving user, the
        records of ``_customer_policy_handover_models`` and the open activities of
        the leaving user on all of them, grouped by successor (one write per
        successor and model). Override to move what the registry cannot describe.

        :return: ``{model: {successor: [ids reassigned]}}``
        """
        customers = self.sudo()
        successor_of = {
            customer.id: successor_by_partner[customer.id] for customer in customers
        }
        # Contact persons belong to their company: they follow its successor.
        family = customers.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("id", "not in", customers.ids),
            ]
        )
        for person in family:
            successor_of[person.id] = successor_of[person.commercial_partner_id.id]
        moved = {"res.partner": defaultdict(list)}
        for customer in customers:
            moved["res.partner"][successor_of[customer.id]].append(customer.id)
        for person in family.filtered(lambda p: p.user_id == leaving_user):
            moved["res.partner"][successor_of[person.id]].append(person.id)
        for successor, partner_ids in moved["res.partner"].items():
            # Writing as the caller: the record rules decide whose customers the
            # hand-over may move (contacts follow their company's access).
            self.browse(partner_ids).write({"user_id": successor.id})
        for spec in self._customer_policy_handover_models():
            moved_here = moved.setdefault(spec["model"], defaultdict(list))
            for successor, record_ids in customers._customer_policy_handover_model(
                spec, successor_of, leaving_user
            ).items():
                moved_here[successor] += record_ids
        self._customer_policy_handover_activities(moved, successor_of, leaving_user)
        return moved

    def _customer_policy_handover_model(self, spec, successor_of, leaving_user):
        """Move the open records of one model from ``leaving_user`` to the
        successors of ``self``'s customers; ``{successor: [ids]}``."""
        Model = self.env[spec["model"]].sudo().with_context(active_test=False)
        records = Model.search(
            [
                (f"{spec['partner_field']}.commercial_partner_id", "in", self.ids),
                (spec["user_field"], "=", leaving_user.id),
            ]
            + list(spec.get("domain") or [])
        )
        groups = defaultdict(list)
        for record in records:
            customer = record[spec["partner_field"]].commercial_partner_id
            groups[successor_of[customer.id]].append(record.id)
        for successor, record_ids in groups.items():
            Model.browse(record_ids).write({spec["user_field"]: successor.id})
        return groups

    def _customer_policy_handover_activities(self, moved, successor_of, leaving_user):
        """The leaving user's open activities follow: on the moved records, and on
        every contact person of the customers."""
        targets = {model: dict(per_successor) for model, per_successor in moved.items()}
        partner_targets = defaultdict(list)
        for partner_id, successor in successor_of.items():
            partner_targets[successor].append(partner_id)
        targets["res.partner"] = partner_targets
        Activity = self.env["mail.activity"].sudo()
        for model_name, per_successor in targets.items():
            for successor, res_ids in per_successor.items():
                Activity.search(
                    [
                        ("res_model", "=", model_name),
                        ("res_id", "in", res_ids),
                        ("user_id", "=", leaving_user.id),
                    ]
                ).write({"user_id": successor.id})
