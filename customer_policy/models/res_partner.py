from collections import defaultdict

from odoo import api, fields, models

# Set while the web client reads through another entry point (list, kanban, save),
# so that only the opening of a record's form is traced as a read.
_NO_LOG = "customer_policy_no_access_log"


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_policy_managed = fields.Boolean(
        string="Managed Customer",
        copy=False,
        index=True,
        tracking=True,
        help="The partner is a customer under the customer management policy.",
    )
    # Odoo Community has no department on partners; crm.team is the department
    # ("sales team") everywhere else in Odoo, so the customer's owning department
    # is one too.
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Department",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="set null",
        help="The department that owns the customer: by default the owner's.",
    )

    customer_tier_id = fields.Many2one(
        comodel_name="customer.tier",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's grade under the policy; its service rules apply.",
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for partner in self:
            # A partner without owner keeps its department; a new owner brings theirs.
            if partner.user_id.sale_team_id:
                partner.team_id = partner.user_id.sale_team_id

    # ------------------------------------------------------------------ grants

    # The User rank's partner rule reads the approved requests through this field.
    customer_access_request_ids = fields.One2many(
        comodel_name="customer.access.request",
        inverse_name="partner_id",
        string="Access Requests",
    )

    # ------------------------------------------------------------------ audit

    def _customer_policy_archive_records(self):
        """The records of ``self`` that belong to a managed customer's archive."""
        return self.sudo().filtered(
            lambda p: p.commercial_partner_id.customer_policy_managed
        )

    def _customer_policy_log_access(self, action, detail=None):
        if self.env.su or not self:
            return
        archive = self._customer_policy_archive_records()
        if archive:
            self.env["customer.access.log"]._customer_policy_log(
                archive, action, detail=detail
            )

    def web_read(self, specification):
        if self.env.context.get(_NO_LOG):
            return super().web_read(specification)
        # Contacts and other partners read inside the form are part of that opening.
        result = super(ResPartner, self.with_context(**{_NO_LOG: True})).web_read(
            specification
        )
        # A many2one shown on another record reads the partner with an empty
        # specification (its name comes as superuser): that is not an opening.
        if set(specification) - {"id", "display_name"}:
            self._customer_policy_log_access("read")
        return result

    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        return super(ResPartner, self.with_context(**{_NO_LOG: True})).web_search_read(
            domain,
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )

    def web_save(self, vals, specification, next_id=None):
        return super(ResPartner, self.with_context(**{_NO_LOG: True})).web_save(
            vals, specification, next_id=next_id
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._customer_policy_log_access("export", detail=", ".join(fields_to_export))
        return result

    # ------------------------------------------------------------------ hand-over

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

        Extend to plug in a model: append a dict with ``model``, ``partner_field``
        (the customer it belongs to), ``user_field`` (its responsible user) and
        ``domain`` (what is still open, e.g. ``[("state", "not in", ["done"])]``).
        Records of the leaving user on the handed-over customers move to the
        customer's successor, with their open activities of the leaving user.
        """
        return []

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
            Model = self.env[spec["model"]].sudo().with_context(active_test=False)
            records = Model.search(
                [
                    (
                        f"{spec['partner_field']}.commercial_partner_id",
                        "in",
                        customers.ids,
                    ),
                    (spec["user_field"], "=", leaving_user.id),
                ]
                + list(spec.get("domain") or [])
            )
            groups = defaultdict(list)
            for record in records:
                customer = record[spec["partner_field"]].commercial_partner_id
                groups[successor_of[customer.id]].append(record.id)
            moved_here = moved.setdefault(spec["model"], defaultdict(list))
            for successor, record_ids in groups.items():
                Model.browse(record_ids).write({spec["user_field"]: successor.id})
                moved_here[successor] += record_ids
        # The leaving user's open activities follow: on the moved records, and on
        # every contact person of the customers.
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
        return moved
