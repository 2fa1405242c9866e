"""The field specifications the web client sends to open a view.

Shared by the tests that count a screen's queries and by ``bench/run.py``
(imported there as ``odoo.addons.customer_policy.tests.web_client``), so that the
regular suite and the benchmark measure the same call.
"""

from lxml import etree

# The rows an inline sub-list of a form loads at first.
SUBLIST_LIMIT = 40


def view_spec(Model, arch):
    """The specification of the fields of a list, kanban or form ``arch`` (a string
    or an element): a many-to-one with its ``display_name``, an inline one-to-many
    or many-to-many with the fields of its own list (``SUBLIST_LIMIT`` rows), a
    many-to-many tag field with the names of its records."""
    root = etree.fromstring(arch) if isinstance(arch, str) else arch
    spec = {}

    def walk(node, spec, Model):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                name = child.get("name")
                field = Model._fields.get(name)
                if field is None:
                    continue
                entry = {}
                if field.type == "many2one":
                    entry = {"fields": {"display_name": {}}}
                elif field.type in ("one2many", "many2many"):
                    sub = {}
                    Comodel = Model.env[field.comodel_name]
                    inner = child.find("list")
                    if inner is None:
                        inner = child.find("kanban")
                    if inner is not None:
                        walk(inner, sub, Comodel)
                    else:
                        sub = {"display_name": {}}
                    entry = {"fields": sub}
                    if field.type == "one2many" or inner is not None:
                        entry["limit"] = SUBLIST_LIMIT
                spec[name] = entry
            elif child.tag not in ("list", "kanban", "form") or node is root:
                walk(child, spec, Model)

    walk(root, spec, Model)
    spec.setdefault("display_name", {})
    return spec


def action_view(Model, action_xmlid, view_type):
    """``(arch, specification)`` of the ``view_type`` view that the window action
    ``action_xmlid`` opens, as ``Model``'s user gets it from ``get_views``."""
    action = Model.env.ref(action_xmlid).sudo()
    view_id = False
    for action_view_id, action_view_type in action.views:
        if action_view_type == view_type:
            view_id = action_view_id
    arch = Model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
    return arch, view_spec(Model, arch)
