from odoo import api, models
from odoo.exceptions import MissingError, UserError

from ..tools.vals import check_input


class SingleRecordExpected(UserError, ValueError):
    """A clear message where Odoo says "Expected singleton"; still a ValueError
    for the code that catches that."""


def _checked_create():
    @api.model_create_multi
    def create(self, vals_list):
        self._customer_policy_check_input(vals_list)
        return create.origin(self, vals_list)

    return create


def _checked_write():
    def write(self, vals):
        self._customer_policy_check_input([vals])
        return write.origin(self, vals)

    return write


_CHECKED = {"create": _checked_create, "write": _checked_write}


class Base(models.AbstractModel):
    """Every model of the customer_policy addons refuses values of the wrong
    kind, and an action on no record or on several, with a clear message."""

    _inherit = "base"

    # Models of others whose values our addons check (res.partner).
    _customer_policy_checks_input = False

    @api.model_create_multi
    def create(self, vals_list):
        # Where the check set on top (below) was taken away: Odoo's automation
        # rules remove every patched create and write when one is edited.
        if self._customer_policy_checked() and not self._customer_policy_on_top(
            "create"
        ):
            self._customer_policy_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._customer_policy_checked() and not self._customer_policy_on_top(
            "write"
        ):
            self._customer_policy_check_input([vals])
        return super().write(vals)

    def _register_hook(self):
        """Check the values before every override of create and write.

        The overrides of our models read the values they are given (an owner
        from the customer, a plan's period…) before ``super()`` reaches the
        check of ``create`` above, at the bottom of the chain: a list where an
        id is expected would end there in a server error. Set on the model's
        own class, as Odoo's automation rules set theirs, the check comes
        first, whatever addon overrides the model.
        """
        super()._register_hook()
        if self._abstract or not self._customer_policy_checked():
            return
        cls = self.env.registry[self._name]
        for name, make in _CHECKED.items():
            if self._customer_policy_on_top(name):
                continue
            method = make()
            method.origin = getattr(cls, name)
            method._customer_policy_checked = True
            setattr(cls, name, method)

    @api.model
    def _customer_policy_check_input(self, vals_list):
        check_input(self, vals_list)

    @api.model
    def _customer_policy_checked(self):
        return self._customer_policy_checks_input or self._customer_policy_guarded()

    @api.model
    def _customer_policy_on_top(self, name):
        """Whether the check of ``name`` (create, write) is set on top."""
        method = self.env.registry[self._name].__dict__.get(name)
        return getattr(method, "_customer_policy_checked", False)

    def ensure_one(self):
        # On the path of every field read: the usual case costs two comparisons.
        if len(self._ids) == 1:
            id_ = self._ids[0]
            # Id 0 (an RPC call on [0]) reads as a new record, empty: our
            # actions would go on with it, into a server error.
            if id_ or id_.__class__ is not int or not self._customer_policy_reached():
                return self
            raise MissingError(
                self.env._(
                    "The %(model)s you are working on no longer exists: reload the "
                    "page.",
                    model=self._description or self._name,
                )
            )
        if self._customer_policy_reached():
            raise SingleRecordExpected(
                self.env._(
                    "This works on one %(model)s at a time (%(count)s given): "
                    "open a single record and try again.",
                    model=self._description or self._name,
                    count=len(self._ids),
                )
            )
        return super().ensure_one()

    def action_archive(self):
        self._customer_policy_check_archivable()
        return super().action_archive()

    def action_unarchive(self):
        self._customer_policy_check_archivable()
        return super().action_unarchive()

    def _customer_policy_check_archivable(self):
        # Odoo asserts that the model has an active field: over RPC that is a
        # server error on every model of ours that keeps its records for good.
        if not self._active_name and self._customer_policy_guarded():
            raise UserError(
                self.env._(
                    "%(model)s records cannot be archived: they are kept as they "
                    "are, for the record.",
                    model=self._description or self._name,
                )
            )

    @api.model
    def _customer_policy_guarded(self):
        return (self._original_module or "").startswith("customer_policy")

    @api.model
    def _customer_policy_reached(self):
        """Our models, and the models of others that our addons give buttons
        (res.partner, event.event...): what an RPC call reaches through us."""
        cls = type(self)
        reached = cls.__dict__.get("_customer_policy_reached_cache")
        if reached is None:
            reached = self._customer_policy_guarded() or any(
                klass.__module__.startswith("odoo.addons.customer_policy")
                and klass.__module__ != __name__
                and any(name.startswith("action_") for name in vars(klass))
                for klass in cls.__mro__
            )
            cls._customer_policy_reached_cache = reached
        return reached
