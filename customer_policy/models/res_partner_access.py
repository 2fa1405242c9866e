from odoo import api, fields, models

# Set while the web client reads through another entry point (list, kanban, save),
# so that only the opening of a record's form is traced as a read.
_NO_LOG = "customer_policy_no_access_log"


class ResPartner(models.Model):
    """Information security (客户信息安全): the grants the record rules read, and
    the access log of who opened or exported a managed customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The User rank's partner rule reads the approved requests through this field.
    customer_access_request_ids = fields.One2many(
        comodel_name="customer.access.request",
        inverse_name="partner_id",
        string="Access Requests",
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

    # Opening a managed customer's form writes the access log: the web client's
    # call must get a read-write cursor, not Odoo's read-only one for reads.
    web_read._readonly = False

    @api.model
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
