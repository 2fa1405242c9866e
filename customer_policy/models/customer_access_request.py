from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

from ..tools.tz import company_tz, format_local_datetime

# The decision fields change only through action_approve / action_refuse /
# action_revoke and the expiry cron, which check who decides and write as superuser:
# a requester who may edit their pending request must not approve it by RPC.
_DECISION_FIELDS = {
    "partner_id",
    "requester_id",
    "company_id",
    "approver_id",
    "state",
    "decided_by_id",
    "decided_at",
    "expires_at",
    "refuse_reason",
}
_EXPIRE_BATCH = 1000


class CustomerAccessRequest(models.Model):
    """A request to consult a customer's archive (客户资料查阅审批).

    An approved request is the grant itself: the partner record rule of the User
    rank reads ``state == 'approved'``; the expiry cron turns it to ``expired`` when
    ``expires_at`` has passed, which closes the access.
    """

    _name = "customer.access.request"
    _description = "Customer Archive Access Request"
    _inherit = ("customer.policy.customer.mixin", "mail.thread", "mail.activity.mixin")
    _order = "id desc"

    partner_id = fields.Many2one(
        ondelete="cascade", domain=[("customer_policy_managed", "=", True)]
    )
    requester_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested by",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(
        compute="_compute_company_id", store=True, required=False, default=None
    )
    # Owner and department are what the guarded lookup shows of any customer: the
    # requester reads them here even without access to the customer.
    user_id = fields.Many2one(
        related="commercial_partner_id.user_id",
        string="Customer Owner",
        store=False,
        readonly=True,
        index=False,
        tracking=False,
        help=None,
    )
    team_id = fields.Many2one(string="Customer Department", store=False, index=False)
    reason = fields.Text(required=True, tracking=True)
    approver_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_approver_id",
        store=True,
        index=True,
        tracking=True,
        help="The department manager for a customer of the requester's own "
        "department; the general manager (a Director) for another department's.",
    )
    state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        default="pending",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    duration_days = fields.Integer(
        string="Duration (days)",
        default=lambda self: self.env.company.customer_access_duration_days,
        required=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one(
        comodel_name="res.users", string="Decided by", readonly=True, copy=False
    )
    decided_at = fields.Datetime(readonly=True, copy=False)
    expires_at = fields.Datetime(
        string="Expires on", readonly=True, copy=False, index=True, tracking=True
    )
    refuse_reason = fields.Text(readonly=True, copy=False, tracking=True)
    can_decide = fields.Boolean(compute="_compute_can_decide")

    # === COMPUTE METHODS === #

    @api.depends("partner_id", "requester_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(customer)s for %(user)s",
                customer=request.partner_id.sudo().display_name or "",
                user=request.requester_id.sudo().name or "",
            )

    @api.depends("partner_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = (
                request.partner_id.sudo().company_id
                or request.company_id
                or self.env.company
            )

    @api.depends("partner_id", "requester_id")
    def _compute_approver_id(self):
        directors = {}
        for request in self:
            requester = request.requester_id
            team = request.partner_id.sudo().commercial_partner_id.team_id
            leader = team.user_id
            if (
                team
                and leader
                and leader != requester
                and leader.active
                and (requester in team.member_ids or requester == leader)
            ):
                request.approver_id = leader
                continue
            company = request.company_id or self.env.company
            key = (company.id, requester.id)
            if key not in directors:
                directors[key] = self.env["res.users"]._customer_policy_general_manager(
                    company, requester
                )
            request.approver_id = directors[key]

    @api.depends_context("uid")
    @api.depends("approver_id", "requester_id", "state")
    def _compute_can_decide(self):
        is_director = self.env.user.has_group("customer_policy.group_director")
        for request in self:
            request.can_decide = (
                request.state == "pending"
                and request.requester_id != self.env.user
                and (request.approver_id == self.env.user or is_director)
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("duration_days")
    def _check_duration_days(self):
        for request in self:
            if request.duration_days < 1:
                raise ValidationError(
                    self.env._("Access can be granted for one day at least.")
                )

    @api.constrains("partner_id")
    def _check_partner_managed(self):
        for request in self:
            if not request.partner_id.sudo().customer_policy_managed:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a managed customer: its information is "
                        "not restricted, there is nothing to request.",
                        partner=request.partner_id.sudo().display_name,
                    )
                )

    @api.constrains("partner_id", "requester_id", "state")
    def _check_one_open_request(self):
        for request in self.filtered(lambda r: r.state in ("pending", "approved")):
            duplicate = self.sudo().search_count(
                [
                    ("id", "!=", request.id),
                    ("partner_id", "=", request.partner_id.id),
                    ("requester_id", "=", request.requester_id.id),
                    ("state", "in", ("pending", "approved")),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "%(user)s already has a pending or approved request for "
                        "%(customer)s.",
                        user=request.requester_id.sudo().name,
                        customer=request.partner_id.sudo().display_name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        is_director = self.env.user.has_group("customer_policy.group_director")
        for vals in vals_list:
            if vals.get("partner_id"):
                # Requests are about the customer (the company), not a contact.
                partner = Partner.sudo().browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
            requester_id = vals.setdefault("requester_id", self.env.uid)
            if self.env.su:
                continue
            if requester_id != self.env.uid and not is_director:
                raise AccessError(
                    self.env._("You can only request access for yourself.")
                )
            # A request is born pending: only the decision actions grant access.
            decided = _DECISION_FIELDS.intersection(vals) - {
                "partner_id",
                "requester_id",
                "company_id",
            }
            if (
                decided
                and (vals.get("state") or "pending") != "pending"
                or (decided - {"state"})
            ):
                raise UserError(
                    self.env._(
                        "Access requests are approved, refused or revoked with their "
                        "buttons only."
                    )
                )
        requests = super().create(vals_list)
        if not self.env.su:
            for request in requests:
                visible = request.partner_id.with_user(request.requester_id)
                if visible._filtered_access("read"):
                    raise UserError(
                        self.env._(
                            "%(user)s can already open %(customer)s: no request "
                            "is needed.",
                            user=request.requester_id.name,
                            customer=request.partner_id.display_name,
                        )
                    )
        requests._customer_policy_schedule_decision()
        return requests

    def write(self, vals):
        if not self.env.su:
            protected = _DECISION_FIELDS.intersection(vals)
            if protected:
                raise UserError(
                    self.env._(
                        "Access requests are approved, refused or revoked with their "
                        "buttons only."
                    )
                )
            is_director = self.env.user.has_group("customer_policy.group_director")
            for request in self:
                if request.state != "pending":
                    raise UserError(
                        self.env._("Only a pending request can be changed.")
                    )
                if request.requester_id != self.env.user and not is_director:
                    raise AccessError(
                        self.env._("Only the requester can change the request.")
                    )
        return super().write(vals)

    # === ACTION METHODS === #

    def action_approve(self):
        self._check_can_decide()
        now = fields.Datetime.now()
        for request in self:
            request.sudo().write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.uid,
                    "decided_at": now,
                    "expires_at": now + timedelta(days=request.duration_days),
                }
            )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        # Close each grant at its time, not at the cron's next round.
        self.env.ref("customer_policy.ir_cron_customer_access_expire").sudo()._trigger(
            self.mapped("expires_at")
        )
        self.env["customer.access.log"]._customer_policy_log(
            self.partner_id, "grant", requests=self
        )
        self._notify_owner()
        return True

    def action_refuse(self, reason=None):
        if reason is None:
            # From the form: ask for the reason first.
            self._check_can_decide()
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Refuse Access Request"),
                "res_model": "customer.access.refuse.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_request_ids": self.ids},
            }
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason of the refusal."))
        self._check_can_decide()
        self.sudo().write(
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decided_at": fields.Datetime.now(),
                "refuse_reason": reason.strip(),
            }
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        for request in self:
            request.sudo().message_post(
                body=self.env._(
                    "Access refused by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=request.refuse_reason,
                ),
                partner_ids=request.requester_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_revoke(self):
        is_director = self.env.user.has_group("customer_policy.group_director")
        for request in self:
            if request.state != "approved":
                raise UserError(self.env._("Only an approved access can be revoked."))
            allowed = (
                self.env.user
                in request.approver_id
                | request.requester_id
                | request.partner_id.sudo().user_id
                | request.partner_id.sudo().team_id.user_id
            )
            if not (allowed or is_director):
                raise AccessError(
                    self.env._(
                        "Only the approver, the customer's owner or department "
                        "manager, the requester or a Director can revoke this access."
                    )
                )
        self.sudo().write({"state": "revoked", "expires_at": fields.Datetime.now()})
        self.env["customer.access.log"]._customer_policy_log(
            self.partner_id, "revoke", requests=self
        )
        return True

    # === BUSINESS METHODS === #

    def _check_can_decide(self):
        is_director = self.env.user.has_group("customer_policy.group_director")
        for request in self:
            if request.state != "pending":
                raise UserError(
                    self.env._(
                        "The request for %(customer)s has already been decided.",
                        customer=request.partner_id.sudo().display_name,
                    )
                )
            if request.requester_id == self.env.user:
                raise UserError(self.env._("Nobody can approve their own request."))
            if request.approver_id != self.env.user and not is_director:
                raise AccessError(
                    self.env._(
                        "Only %(approver)s or a Director can decide on this request.",
                        approver=request.approver_id.name or self.env._("a Director"),
                    )
                )

    def _customer_policy_schedule_decision(self):
        """A to-do for the approver of each pending request, in their language,
        due today in their time zone."""
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"]._customer_policy_schedule(
            self._name,
            [
                {
                    "res_id": request.id,
                    "activity_type": todo_type,
                    "user": request.approver_id,
                    "date_deadline": fields.Date.context_today(
                        request.with_context(tz=request.approver_id.tz)
                    ),
                    "summary": lambda env: env._("Decide on an access request"),
                    "note": plaintext2html(request.reason or ""),
                }
                for request in self
                if request.state == "pending" and request.approver_id
            ],
        )

    def _notify_owner(self):
        """Tell the customer's owner (and the requester) who got access until when."""
        for request in self:
            owner = request.partner_id.sudo().user_id
            recipients = (owner.partner_id | request.requester_id.partner_id).ids
            request.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s may consult the archive of %(customer)s until "
                    "%(date)s, approved by %(approver)s.",
                    user=request.requester_id.name,
                    customer=request.partner_id.sudo().display_name,
                    # The requester's clock: the time they must finish by.
                    date=format_local_datetime(
                        self.env,
                        request.expires_at,
                        request.requester_id.tz
                        or company_tz(request.company_id or self.env.company),
                    ),
                    approver=self.env.user.name,
                ),
                partner_ids=recipients,
                subtype_xmlid="mail.mt_note",
            )

    # === CRON METHODS === #

    @api.model
    def _cron_expire_grants(self):
        """Close every grant whose time is over, in batches."""
        now = fields.Datetime.now()
        domain = [("state", "=", "approved"), ("expires_at", "<=", now)]
        # The access log traces each expiry; tracking would post one message each.
        Request = self.sudo().with_context(tracking_disable=True)
        remaining = Request.search_count(domain)
        done = 0
        while remaining:
            batch = Request.search(domain, limit=_EXPIRE_BATCH, order="id")
            if not batch:
                break
            batch.write({"state": "expired"})
            self.env["customer.access.log"]._customer_policy_log(
                batch.partner_id, "expire", requests=batch
            )
            done += len(batch)
            remaining = max(remaining - len(batch), 0)
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
