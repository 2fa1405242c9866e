"""Open every screen of the app as a user would, the way the web client does.

``open_every_menu(env, user)`` walks the menus of the Customer Policy app that
``user`` sees (``ir.ui.menu.load_menus``), loads each menu's action as
``/web/action/load`` does (running server actions), asks ``get_views`` for its
views, and then reads what each view shows with the calls and field
specifications of the web client:

- list, kanban, calendar, activity: ``web_search_read`` with the fields of the
  view, many-to-one fields with their ``display_name`` and one-to-many and
  many-to-many fields with the fields of their own sub-list;
  ``web_read_group`` when the view or the action groups;
- form: ``web_read`` of the first record the list found (with the fields of every
  sub-list, as when a record is opened), and ``onchange`` of a new record when
  the user may create one (a wizard opens that way);
- pivot and graph: ``read_group`` with the view's measures and groupings.

Domains and contexts are evaluated as the web client does (``uid``,
``context_today()``, ``relativedelta``), including the filters the action turns
on by default (``search_default_*``). Every error is collected instead of raised,
with the menu and view it happened on, so that one run reports every screen
that fails.
"""

from collections import namedtuple

from lxml import etree

from odoo import fields
from odoo.osv import expression
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

ROOT_MENU = "customer_policy.menu_customer_policy_root"
# How many records a screen shows at first.
LIST_LIMIT = 80
SUBLIST_LIMIT = 40

Failure = namedtuple("Failure", "menu view error")


def open_every_menu(env, user, root_xmlid=ROOT_MENU):
    """Open every menu of the app ``user`` sees; ``(menus opened, failures)``."""
    user_env = env(user=user.id, context=user.with_user(user).context_get())
    menus = _visible_menus(user_env, root_xmlid)
    failures = []
    for path, action_ref in menus:
        with env.cr.savepoint():
            failures += _open_menu(user_env, path, action_ref)
    return [path for path, _action in menus], failures


def _visible_menus(env, root_xmlid):
    """``[(path, "model,id")]`` of the menus under the app root the user sees."""
    root = env.ref(root_xmlid)
    menus = env["ir.ui.menu"].load_menus(debug=False)
    if root.id not in menus:
        return []
    result = []

    def walk(menu_id, path):
        menu = menus[menu_id]
        here = f"{path} ▸ {menu['name']}" if path else menu["name"]
        if menu.get("action"):
            result.append((f"{here} ({menu['xmlid']})", menu["action"]))
        for child in menu.get("children") or []:
            walk(child, here)

    walk(root.id, "")
    return result


def _open_menu(env, path, action_ref):
    model_name, action_id = action_ref.split(",")
    try:
        action = _load_action(env, model_name, int(action_id))
    except Exception as error:  # noqa: BLE001 -- every failure is reported
        return [Failure(path, "action", _describe(error))]
    if not action or action.get("type") != "ir.actions.act_window":
        return []
    return _open_window(env, path, action)


def _load_action(env, model_name, action_id):
    """What the web client gets for the menu's action."""
    if model_name == "ir.actions.server":
        return env["ir.actions.server"].browse(action_id).run()
    action = env[model_name].sudo().browse(action_id)
    if model_name == "ir.actions.act_window":
        return action._get_action_dict()
    return action.read()[0]


def _eval_context(env):
    today = fields.Date.context_today(env.user)
    return {
        "uid": env.uid,
        "user": env.user,
        "context_today": lambda: today,
        "current_date": today.strftime("%Y-%m-%d"),
        "datetime": datetime,
        "time": time,
        "relativedelta": dateutil.relativedelta.relativedelta,
        "allowed_company_ids": env.companies.ids,
        "current_company_id": env.company.id,
        "active_id": False,
        "active_ids": [],
    }


def _evaluate(value, env, default):
    if not value:
        return default
    if not isinstance(value, str):
        return value
    return safe_eval(value, _eval_context(env))


def _open_window(env, path, action):
    failures = []
    context = {
        **env.context,
        **_evaluate(action.get("context"), env, {}),
    }
    domain = list(_evaluate(action.get("domain"), env, [])) or []
    Model = env[action["res_model"]].with_context(**context)
    views = [list(view) for view in action.get("views") or []]
    search_view = action.get("search_view_id")
    search_view_id = search_view[0] if isinstance(search_view, list | tuple) else None
    try:
        result = Model.get_views(
            views + [[search_view_id or False, "search"]],
            {"load_filters": True, "toolbar": True, "action_id": action.get("id")},
        )
    except Exception as error:  # noqa: BLE001
        return [Failure(path, "get_views", _describe(error))]
    search_domain, group_by = _search_defaults(
        env, result["views"]["search"]["arch"], context
    )
    domain = expression.AND([domain, search_domain])
    group_by = group_by or _as_list(context.get("group_by"))
    record_ids = []
    for _view_id, view_type in views:
        if view_type not in result["views"]:
            continue
        arch = etree.fromstring(result["views"][view_type]["arch"])
        try:
            with env.cr.savepoint():
                record_ids = (
                    _open_view(
                        Model, view_type, arch, domain, group_by, record_ids, action
                    )
                    or record_ids
                )
        except Exception as error:  # noqa: BLE001
            failures.append(Failure(path, view_type, _describe(error)))
    return failures


def _open_view(Model, view_type, arch, domain, group_by, record_ids, action):
    """Read what a view of ``view_type`` shows; the ids it found."""
    if view_type in ("list", "kanban", "calendar", "activity"):
        group_by = group_by or _as_list(arch.get("default_group_by"))
        if group_by and view_type in ("list", "kanban"):
            Model.web_read_group(domain, [], group_by[:1], limit=80, lazy=True)
        if view_type == "activity":
            Model.env["mail.activity"].get_activity_data(
                Model._name, domain, limit=LIST_LIMIT
            )
        found = Model.web_search_read(domain, _view_spec(Model, arch), limit=LIST_LIMIT)
        return [record["id"] for record in found["records"]]
    if view_type == "form":
        spec = _view_spec(Model, arch)
        if record_ids and action.get("target") != "new":
            Model.browse(record_ids[:1]).web_read(spec)
        if _can_create(Model, arch, action):
            Model.onchange({}, [], spec)
        return None
    if view_type in ("pivot", "graph"):
        measures = [
            node.get("name")
            for node in arch.iter("field")
            if node.get("type") == "measure" and node.get("name") in Model._fields
        ] or ["__count"]
        groupings = [
            f"{node.get('name')}:{node.get('interval')}"
            if node.get("interval")
            else node.get("name")
            for node in arch.iter("field")
            if node.get("type") != "measure" and node.get("name") in Model._fields
        ]
        Model.read_group(
            domain,
            [
                name
                if name == "__count"
                else f"{name}:{Model._fields[name].aggregator}"
                for name in measures
                if name == "__count" or Model._fields[name].aggregator
            ],
            groupings or group_by,
            lazy=False,
        )
        return None
    return None


def _can_create(Model, arch, action):
    if arch.get("create") in ("0", "false", "False"):
        return False
    if Model.env.context.get("create") is False:
        return False
    return Model.has_access("create") or action.get("target") == "new"


def _view_spec(Model, node):
    """The field specification the web client sends for a view's ``node``."""
    spec = {"display_name": {}} if "display_name" in Model._fields else {}
    for field_node in _own_fields(node):
        name = field_node.get("name")
        field = Model._fields.get(name)
        if field is None:
            continue
        spec[name] = _field_spec(Model, field, field_node)
    return spec


def _own_fields(node):
    """The field nodes of ``node``, not those of the sub-views of its fields."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _own_fields(child)


def _field_spec(Model, field, node):
    if field.type == "many2one":
        return {"fields": {"display_name": {}}}
    if field.type in ("one2many", "many2many"):
        Comodel = Model.env[field.comodel_name]
        sub_view = next(
            (child for child in node if child.tag in ("list", "kanban")), None
        )
        if sub_view is None:
            return {"fields": {"display_name": {}}}
        return {"fields": _view_spec(Comodel, sub_view), "limit": SUBLIST_LIMIT}
    return {}


def _search_defaults(env, search_arch, context):
    """The domain and grouping of the filters the action turns on by default:
    filters of one group (between separators) are OR-ed, groups AND-ed."""
    arch = etree.fromstring(search_arch)
    groups, group_by = [], []
    current = []
    for node in arch.iter():
        if node.tag != "filter":
            if node.tag in ("separator", "field", "group") and current:
                groups.append(current)
                current = []
            continue
        name = node.get("name")
        if not name or not context.get(f"search_default_{name}"):
            continue
        if node.get("domain"):
            current.append(_evaluate(node.get("domain"), env, []))
        filter_context = _evaluate(node.get("context"), env, {})
        group_by += _as_list(filter_context.get("group_by"))
    if current:
        groups.append(current)
    return expression.AND([expression.OR(group) for group in groups]), group_by


def _as_list(value):
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _describe(error):
    return f"{type(error).__name__}: {error}".splitlines()[0][:300]


def format_failures(failures):
    return "\n".join(
        f"- {failure.menu} [{failure.view}]: {failure.error}" for failure in failures
    )
