"""The buttons of every customer_policy addon, pressed over RPC on records the
screens never send: no record, id 0, several records, a record of another
company, one the user may not read, one that no longer exists. The user gets a
clear refusal (UserError, ValidationError, AccessError, MissingError) or the
action works; never a server error, and a refusal writes nothing.

The actions are found by introspection of the registry, so an action that an
addon adds later is covered without touching this file; an addon that is not
installed brings no model and no action."""

import inspect
import logging

from hypothesis import given
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerLedgerCase, hostile_roles, hostile_settings

_logger = logging.getLogger(__name__)

# The kinds of hostile ids an RPC caller can send to a button.
ID_KINDS = ("none", "zero", "several", "other_company", "unreadable", "missing")
# An id no table of a test database reaches.
MISSING_ID = 2_000_000_000


def _ours(cls):
    # Our extension of every model (models/base.py) is not an action of theirs.
    return cls.__module__.startswith("odoo.addons.customer_policy") and getattr(
        cls, "_inherit", None
    ) not in ("base", ["base"])


def hostile_action_targets(env):
    """(model, method) of every public ``action_*`` method an RPC caller can
    reach without arguments: all of them on the models of our addons
    (``action_archive``/``action_unarchive`` included), and those our addons
    define or override on the models of others (res.partner, res.users...)."""
    targets = []
    for name in sorted(env.registry):
        Model = env[name]
        if Model._abstract:
            continue
        cls = type(Model)
        ours = (Model._original_module or "").startswith("customer_policy")
        for attr in sorted(dir(cls)):
            if not attr.startswith("action_"):
                continue
            method = getattr(cls, attr, None)
            if not callable(method):
                continue
            if not ours and not any(
                _ours(klass) and attr in vars(klass) for klass in cls.__mro__
            ):
                continue
            params = list(inspect.signature(method).parameters.values())[1:]
            if any(
                p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                for p in params
            ):
                continue
            targets.append((name, attr))
    return targets


@tagged("post_install", "-at_install")
class TestHostileActions(CustomerLedgerCase):
    """Every action of every model of the installed customer_policy addons, as
    each role, on each kind of hostile ids."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = hostile_roles(cls)
        # Records to press the buttons on, in this company and in another one.
        cls._fixtures(cls.env, cls.customer)
        cls.company_b = cls.env["res.company"].create({"name": "Other Company Ltd"})
        cls.env.user.company_ids |= cls.company_b
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company_b.id])
        )
        cls.customer_b = (
            env_b["res.partner"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "异地客户有限公司",
                    "is_company": True,
                    "customer_policy_managed": True,
                    "company_id": cls.company_b.id,
                }
            )
        )
        cls._fixtures(env_b, cls.customer_b)
        cls.targets = hostile_action_targets(cls.env)
        our_models = {
            name
            for name, Model in cls.env.registry.items()
            if (Model._original_module or "").startswith("customer_policy")
            and not Model._abstract
            and Model._auto
        }
        cls.watched_tables = sorted(
            {cls.env[name]._table for name in our_models}
            | {"res_partner", "mail_message", "mail_tracking_value", "mail_activity"}
        )

    @classmethod
    def _fixtures(cls, env, customer):
        agreement = (
            env["customer.agreement"]
            .with_company(customer.company_id or env.company)
            .create(
                {
                    "partner_id": customer.id,
                    "title": "Supply of spare parts",
                    "amount_total": 1000.0,
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                    "installment_ids": [
                        Command.create({"due_date": "2026-01-31", "amount": 600.0}),
                        Command.create({"due_date": "2026-04-30", "amount": 400.0}),
                    ],
                }
            )
        )
        env["customer.visit"].create(
            {"partner_id": customer.id, "planned_date": "2026-03-01 09:00"}
        )
        env["customer.complaint"].create(
            {"partner_id": customer.id, "description": "Late delivery"}
        )
        env["customer.collection.action"].create(
            {"installment_id": agreement.installment_ids[0].id}
        )

    # --- the ids ---------------------------------------------------------------------

    def _ids(self, name, kind, user):
        Model = self.env[name].sudo().with_context(active_test=False)
        if kind == "none":
            return []
        if kind == "zero":
            return [0]
        if kind == "missing":
            return [MISSING_ID]
        if kind == "several":
            ids = Model.search([], limit=3, order="id").ids
            return ids if len(ids) > 1 else None
        if kind == "other_company":
            field = Model._fields.get("company_id")
            if not field or not field.store or field.type != "many2one":
                return None
            return (
                Model.search(
                    [("company_id", "not in", user.company_ids.ids + [False])], limit=1
                ).ids
                or None
            )
        # unreadable
        records = Model.search([], limit=200, order="id")
        readable = records.with_user(user)._filtered_access("read")
        return (records - readable)[:1].ids or None

    # --- what a refusal may not leave behind ------------------------------------------

    def _snapshot(self):
        """Rows inserted, updated and deleted so far by this transaction in each
        watched table (PostgreSQL's own statistics: no table is read)."""
        self.env.cr.execute(
            """
            SELECT relname, n_tup_ins, n_tup_upd, n_tup_del
              FROM pg_stat_xact_user_tables
             WHERE schemaname = current_schema() AND relname = ANY(%s)
            """,
            [self.watched_tables],
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _press(self, name, method, user, ids):
        """Press the button; None when it worked or was refused cleanly, else
        what went wrong."""
        records = self.env[name].with_user(user).browse(ids)
        savepoint = self.env.cr.savepoint()
        try:
            before = self._snapshot()
            try:
                with mute_logger("odoo.sql_db", "odoo.models.unlink"):
                    getattr(records, method)()
                return None
            except UserError as error:
                self.env.flush_all()
                after = self._snapshot()
                changed = sorted(t for t in after if before.get(t) != after[t])
                if changed:
                    return (
                        f"refused ({str(error)[:120]}) but wrote in "
                        f"{', '.join(changed)}"
                    )
                return None
            except Exception as error:  # noqa: BLE001 -- what this test hunts
                return f"{type(error).__name__}: {error}"[:300]
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    # --- the tests -------------------------------------------------------------------

    def test_actions_discovered(self):
        """The introspection finds the actions of the core, archive included on a
        model without ``active``."""
        targets = set(self.targets)
        self.assertIn(("customer.agreement", "action_submit_legal"), targets)
        self.assertIn(("customer.access.log", "action_archive"), targets)
        self.assertIn(("res.partner", "action_customer_policy_claim"), targets)
        self.assertNotIn(("res.partner", "action_archive"), targets)
        self.assertNotIn(("res.partner", "action_change_tier"), targets)

    def test_every_action_every_kind_of_ids(self):
        """Each action on each kind of ids, the roles taken in turn: every
        button is pressed six ways, each role presses every kind of ids."""
        failures = []
        step = presses = 0
        for name, method in self.targets:
            for kind in ID_KINDS:
                user = self.roles[step % len(self.roles)]
                step += 1
                ids = self._ids(name, kind, user)
                if ids is None:
                    continue
                presses += 1
                failure = self._press(name, method, user, ids)
                if failure:
                    failures.append(
                        f"{name}.{method} as {user.login} on {kind} {ids}: {failure}"
                    )
        _logger.info(
            "%s actions of %s models pressed %s times",
            len(self.targets),
            len({name for name, __ in self.targets}),
            presses,
        )
        self.assertFalse(failures, "\n" + "\n".join(failures))

    # The sweep above presses every button; this mixes roles and ids at random.
    @hostile_settings(max_examples=60)
    @given(data=st.data())
    def test_hostile_actions_property(self, data):
        name, method = data.draw(st.sampled_from(self.targets), label="action")
        kind = data.draw(st.sampled_from(ID_KINDS), label="ids")
        user = data.draw(st.sampled_from(self.roles), label="role")
        ids = self._ids(name, kind, user)
        if ids is None:
            return
        self.assertIsNone(self._press(name, method, user, ids))


@tagged("post_install", "-at_install")
class TestHostileActionCases(CustomerLedgerCase):
    """The crashes the sweep above found, one plain case each (each gave a
    server error before the fix)."""

    def test_archive_without_active_field(self):
        # Was: AssertionError "No 'active' field on model customer.access.log".
        Log = self.env["customer.access.log"].with_user(self.user_director)
        for method in ("action_archive", "action_unarchive"):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(UserError, "cannot be archived"),
            ):
                getattr(Log.browse(), method)()
        # A model with an active field archives as before.
        tier = self.tier_potential.with_user(self.user_admin)
        tier.action_archive()
        self.assertFalse(tier.active)

    def test_action_on_id_zero(self):
        # Was: the action went on with an empty record into a TypeError or a
        # database error; now the record is missing.
        cases = [("customer.agreement", "action_submit_legal")]
        if "customer.event.invitation" in self.env:
            cases.append(("customer.event.invitation", "action_confirm"))
        if "customer.commission.statement" in self.env:
            cases.append(("customer.commission.statement", "action_confirm"))
        for model, method in cases:
            with self.subTest(model=model), self.assertRaises(MissingError):
                getattr(
                    self.env[model].with_user(self.user_manager).browse([0]), method
                )()

    def test_one_record_actions_say_so(self):
        # Was: ValueError "Expected singleton: customer.agreement(…)" from
        # self.id, and the same on the buttons added to res.partner.
        agreements = self._agreement() | self._agreement()
        with self.assertRaisesRegex(UserError, "one .* at a time"):
            agreements.action_open_reason_wizard()
        partners = self.customer | self.other_customer
        for records in (partners, self.env["res.partner"]):
            with (
                self.subTest(count=len(records)),
                self.assertRaisesRegex(UserError, "one .* at a time"),
            ):
                records.with_user(self.user_director).action_view_customer_agreements()
        # Still a ValueError for the code that catches that.
        with self.assertRaises(ValueError):
            partners.ensure_one()

    def test_cancel_payments_all_or_none(self):
        # Was: the allocations of the first payments removed before the
        # refusal on a payment the user may not change.
        own = self._pay(100.0, self._activate(self._agreement()))
        other = self._pay(50.0, partner=self.other_customer)
        allocations = own.allocation_ids
        self.assertTrue(allocations)
        # No assertRaises: its savepoint would undo what the refusal left.
        refused = None
        try:
            (own | other).with_user(self.user_sales).action_cancel()
        except AccessError as error:
            refused = error
        self.assertTrue(refused, "a salesperson cancelled payments")
        self.env.invalidate_all()
        self.assertTrue(allocations.exists())
        self.assertEqual(own.state, "posted")
