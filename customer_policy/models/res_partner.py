from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The customer under the policy: what every feature of the addon shares.

    Each feature extends ``res.partner`` in a file of its own
    (``res_partner_<feature>.py``) with its fields, its methods and, where it
    needs one, its own ``create``/``write`` calling ``super()``.
    """

    _inherit = "res.partner"

    customer_policy_managed = fields.Boolean(
        string="Managed Customer",
        copy=False,
        index=True,
        tracking=True,
        help="The partner is a customer under the customer management policy.",
    )
    # The record rules of the policy ask "whose customer is it?" through the
    # owner: indexed, so that they are answered from an index.
    user_id = fields.Many2one(index=True)
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
    customer_policy_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Archive Currency",
        compute="_compute_customer_policy_currency_id",
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for partner in self:
            # A partner without owner keeps its department; a new owner brings theirs.
            if partner.user_id.sale_team_id:
                partner.team_id = partner.user_id.sale_team_id

    @api.depends("company_id")
    def _compute_customer_policy_currency_id(self):
        for partner in self:
            partner.customer_policy_currency_id = (
                partner._customer_policy_company().currency_id
            )

    def _children_sync(self, values):
        # Odoo calls this once per partner written and, for a company with
        # contact persons, writes an empty change to each of them even when no
        # commercial or address field changed: queries per customer in every
        # batch write of the policy's own fields (tiers, grace periods). Only
        # the fields Odoo syncs to children need it.
        synced = set(self._commercial_fields()) | set(self._address_fields())
        if not synced & values.keys():
            return None
        return super()._children_sync(values)

    def _customer_policy_company(self):
        """The company whose settings apply to the customer: its own, or the
        current one for a partner shared between companies."""
        self.ensure_one()
        return self.company_id or self.env.company

    def _customer_policy_count_fields(self):
        """{count field: model of the records it counts} of the smart buttons on
        the customer's form; each feature adds its own (computed by
        ``_compute_customer_policy_counts``)."""
        return {}

    def _compute_customer_policy_counts(self):
        # The form shows a smart button per kind of record: one query counts them
        # all, each through the record rules of the user, as _read_group would.
        counted = self._customer_policy_count_fields()
        customer_ids = self.commercial_partner_id._origin.ids
        counts = {}
        selects = []
        if customer_ids:
            for model_name in sorted(set(counted.values())):
                Model = self.env[model_name]
                # A button the user does not see (the service desk, Legal,
                # Finance) is computed with the others: not counted, as the
                # user may not read these records at all.
                if not Model.has_access("read"):
                    continue
                Model.flush_model()
                query = Model._search([("commercial_partner_id", "in", customer_ids)])
                column = SQL.identifier(query.table, "commercial_partner_id")
                selects.append(
                    SQL(
                        "SELECT %s, %s, COUNT(*) FROM %s WHERE %s GROUP BY %s",
                        model_name,
                        column,
                        query.from_clause,
                        query.where_clause or SQL("TRUE"),
                        column,
                    )
                )
        if selects:
            rows = self.env.execute_query(SQL(" UNION ALL ").join(selects))
            counts = {(model_name, cid): count for model_name, cid, count in rows}
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            for field_name, model_name in counted.items():
                partner[field_name] = counts.get((model_name, customer_id), 0)

    def _customer_policy_records_action(
        self, xmlid, field="commercial_partner_id", **context
    ):
        """The window ``xmlid`` on the records of this customer (the company of a
        contact person), new records for it by default."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [(field, "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id, **context}
        return action
