from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    """The rest of a leaver's work (离职交接): what they handle on customers they
    do not own.

    Handing over a leaver's customers moves those customers' open records. A
    leaver also handles tickets of other owners' customers (首问负责制), plans
    visits as a member of another customer's project team, and has activities on
    records that are not theirs; these must not stay with someone who left.
    """

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    def _customer_policy_handover_work(self, successor=None):
        """Move what the leaving users ``self`` still handle once their customers
        are handed over: the open records of every model of the hand-over
        (``res.partner._customer_policy_handover_models``: tickets they handle,
        visits they planned...) and their open activities on the policy's
        records. Each goes to ``successor``, or else to the owner of the customer
        it belongs to.

        :return: ``{model: {new user: [ids]}}`` of what moved
        :raise UserError: when something has nobody to go to (no successor and
            a customer without an active owner), before anything moves
        """
        specs = self.env["res.partner"]._customer_policy_handover_models()
        moved = defaultdict(lambda: defaultdict(list))
        plan = []
        for spec in specs:
            Model = self.env[spec["model"]].sudo().with_context(active_test=False)
            records = Model.search(
                [(spec["user_field"], "in", self.ids)] + list(spec.get("domain") or [])
            )
            for record in records:
                customer = record[spec["partner_field"]].commercial_partner_id
                plan.append(
                    (
                        record,
                        spec["user_field"],
                        self._customer_policy_heir(customer, successor),
                    )
                )
        plan += self._customer_policy_activity_plan(
            successor, [spec["model"] for spec in specs], {r for r, _f, _u in plan}
        )
        orphans = [record for record, _field, heir in plan if not heir]
        if orphans:
            raise UserError(
                self.env._(
                    "Name who takes over the other work of %(users)s: %(records)s "
                    "belong to customers without an active owner.",
                    users=", ".join(self.mapped("name")),
                    records=", ".join(
                        record.sudo().display_name for record in orphans[:3]
                    ),
                )
            )
        batches = defaultdict(list)
        for record, field, heir in plan:
            batches[(record._name, field, heir)].append(record.id)
        for (model_name, field, heir), ids in batches.items():
            # As superuser: the leaver's work moves whoever's customer it is on;
            # the record rules of the heir decide what they then see.
            self.env[model_name].sudo().browse(ids).with_context(
                customer_policy_handover=True
            ).write({field: heir.id})
            moved[model_name][heir] += ids
        return moved

    def _customer_policy_heir(self, customer, successor):
        """Who takes a record of ``customer`` from the leavers ``self``."""
        if successor:
            return successor
        owner = customer.user_id
        if owner and owner.active and not owner.share and owner not in self:
            return owner
        return None

    def _customer_policy_activity_plan(self, successor, model_names, moving):
        """``[(activity, "user_id", heir)]`` for the leavers' open activities on the
        customers and on the records of ``model_names`` (those of the hand-over):
        the heir of the record when it moves, else the record's own responsible,
        else the customer's owner."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.ids),
                    ("res_model", "in", [*model_names, "res.partner"]),
                ]
            )
        )
        plan = []
        for activity in activities:
            record = (
                self.env[activity.res_model].sudo().browse(activity.res_id).exists()
            )
            if not record:
                continue
            customer = record.commercial_partner_id
            if record._name == "res.partner" and not customer.customer_policy_managed:
                continue
            responsible = record.user_id if record._name != "res.partner" else None
            if responsible and responsible not in self and record not in moving:
                heir = successor or responsible
            else:
                heir = self._customer_policy_heir(customer, successor)
            plan.append((activity, "user_id", heir))
        return plan
