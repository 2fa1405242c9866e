# Run by install_at_scale.sh in `odoo shell`: uninstall customer_policy.
# ruff: noqa: F821 -- `env` is the shell's
module = env["ir.module.module"].search([("name", "=", "customer_policy")])
module.button_immediate_uninstall()
env.cr.commit()
