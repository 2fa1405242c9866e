import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_complaint import OPEN_STATES

# A ticket the customer may still be waiting on: its closing starts the window.
_NOT_CLOSED = (*OPEN_STATES, "resolved")
# Reply and forward prefixes of e-mail subjects, in English and Chinese.
_PREFIXES = re.compile(
    r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE
)


def subject_key(subject):
    """The subject as repeat contacts compare it: without reply prefixes, case,
    spaces and punctuation."""
    if not subject:
        return False
    text = _PREFIXES.sub("", subject).casefold()
    return re.sub(r"[\W_]+", "", text) or False


class CustomerComplaint(models.Model):
    """Repeat contacts (重复来电): a customer who has to call again about the
    same subject while a ticket is open, or soon after it was closed. The new
    ticket is linked to the earlier one, flagged and counted, and the earlier
    ticket's handler hears of it."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    subject = fields.Char(
        help="What the request is about, in a few words (the e-mail subject for "
        "tickets received by e-mail). A new request on the same subject while a "
        "ticket is open is a repeat contact."
    )
    subject_key = fields.Char(compute="_compute_subject_key", store=True, index=True)
    repeat_of_id = fields.Many2one(
        "customer.complaint",
        index="btree_not_null",
        copy=False,
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('id', '!=', id)]",
        help="The earlier ticket of the customer on the same subject: the customer "
        "had to contact the company again.",
    )
    repeat_ids = fields.One2many(
        "customer.complaint", "repeat_of_id", string="Repeat Contacts"
    )
    repeat_count = fields.Integer(
        string="Repeat Contacts Count",
        compute="_compute_repeat_count",
        store=True,
        aggregator="sum",
    )
    is_repeat = fields.Boolean(
        string="Repeat Contact", compute="_compute_is_repeat", store=True
    )

    # === COMPUTE METHODS === #

    @api.depends("subject")
    def _compute_subject_key(self):
        for ticket in self:
            ticket.subject_key = subject_key(ticket.subject)

    @api.depends("repeat_ids")
    def _compute_repeat_count(self):
        for ticket in self:
            ticket.repeat_count = len(ticket.sudo().repeat_ids)

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for ticket in self:
            ticket.is_repeat = bool(ticket.repeat_of_id)

    # === CONSTRAINT METHODS === #

    @api.constrains("repeat_of_id", "partner_id")
    def _check_repeat_of(self):
        for ticket in self.sudo():
            earlier = ticket.repeat_of_id
            if not earlier:
                continue
            if (
                earlier == ticket
                or earlier.commercial_partner_id != ticket.commercial_partner_id
                or earlier.received_at > ticket.received_at
            ):
                raise ValidationError(
                    self.env._(
                        "%(ticket)s can only repeat an earlier ticket of the same "
                        "customer.",
                        ticket=ticket.name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered(
            lambda t: t.subject_key and not t.repeat_of_id
        )._customer_policy_link_repeats()
        tickets.filtered("repeat_of_id")._customer_policy_tell_repeat()
        return tickets

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        values.setdefault("subject", (msg_dict.get("subject") or "").strip())
        return super().message_new(msg_dict, custom_values=values)

    # === BUSINESS METHODS === #

    def _customer_policy_link_repeats(self):
        """Link each ticket to the latest earlier ticket of its customer on the same
        subject not closed yet, or closed within the company's repeat window:
        one search for the whole batch."""
        if not self:
            return
        oldest = min(self.mapped("received_at"))
        window = max(
            (t.company_id or self.env.company).complaint_repeat_days for t in self
        )
        candidates = self.sudo().search(
            [
                ("id", "not in", self.ids),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("subject_key", "in", list(set(self.mapped("subject_key")))),
                "|",
                ("state", "in", list(_NOT_CLOSED)),
                "&",
                ("state", "=", "closed"),
                ("closed_at", ">=", oldest - timedelta(days=window)),
            ],
            order="received_at desc, id desc",
        )
        by_key = defaultdict(list)
        for candidate in candidates:
            by_key[(candidate.commercial_partner_id, candidate.subject_key)].append(
                candidate
            )
        for ticket in self:
            days = (ticket.company_id or self.env.company).complaint_repeat_days
            for earlier in by_key[(ticket.commercial_partner_id, ticket.subject_key)]:
                if earlier.received_at > ticket.received_at:
                    continue
                if earlier.state in _NOT_CLOSED or (
                    earlier.closed_at
                    and earlier.closed_at >= ticket.received_at - timedelta(days=days)
                ):
                    ticket.sudo().repeat_of_id = earlier
                    break

    def _customer_policy_tell_repeat(self):
        """The earlier ticket's handler hears that the customer came back."""
        for ticket in self.sudo():
            earlier = ticket.repeat_of_id
            earlier.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "The customer contacted us again on this subject: %(ticket)s "
                    "(received by %(responder)s).",
                    ticket=ticket.name,
                    responder=ticket.first_responder_id.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=earlier.user_id.partner_id.ids,
            )

    def action_view_repeats(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repeat Contacts"),
            "res_model": "customer.complaint",
            "view_mode": "list,form",
            "domain": [("repeat_of_id", "=", self.id)],
            "context": {"create": False},
        }
