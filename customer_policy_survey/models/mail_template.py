from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """With ``customer_policy_compile_once`` in the context: the template
        compiled once for all the records, not once for each.

        Odoo parses and compiles a QWeb body (Python code generated, then
        compiled) for every record it renders: for the survey invitations that
        was a third of the rendering. The records are rendered with the same
        values and options as Odoo's loop; a template Odoo renders without QWeb
        (no expression that needs it), a user whose templates are restricted, or
        a rendering that fails are left to Odoo.
        """
        if (
            not self.env.context.get("customer_policy_compile_once")
            or not template_src
            or not res_ids
            or not self._has_unsafe_expression_template_qweb(template_src, model)
            or not (
                self._unrestricted_rendering
                or self.env.is_admin()
                or self.env.user.has_group("mail.group_mail_template_editor")
            )
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        IrQweb = self.env["ir.qweb"].with_context(**(options or {}))
        node = html.fragment_fromstring(template_src, create_parent="div")
        render = None
        results = {}
        try:
            for record in self.env[model].browse(res_ids):
                values = dict(variables, object=record)
                qweb = IrQweb._prepare_environment(values)
                safe_eval.check_values(values)
                if render is None:
                    functions, def_name = qweb._compile(node)
                    render = functions[def_name]
                # Without the <div> added to wrap the nodes, as Odoo does.
                results[record.id] = Markup("".join(render(qweb, values)))[5:-6]
        except Exception:  # noqa: BLE001 - Odoo's loop raises its own error
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        return results
