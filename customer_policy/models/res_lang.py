from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _customer_policy_install_language(self, code):
        """Install the language ``code`` as Settings ▸ Languages does, for the demo
        company whose staff read it: activate it and load its terms for the
        installed modules and this one (being installed, its records named in the
        language from the start). Terms already there are kept.
        Each upgrade of the demo calls it again: a language already active then
        has its terms, loaded by the install."""
        active = self.search([("code", "=", code)])
        this = self.env["ir.module.module"].search([("name", "=", "customer_policy")])
        if active and this.state != "to install":
            return active.id
        lang = self._activate_lang(code)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        modules._update_translations([code])
        return lang.id
