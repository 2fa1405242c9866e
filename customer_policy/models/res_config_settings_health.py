from odoo import api, fields, models

# The company's health settings: several are checked together (the weights add
# up to 100, the high-risk threshold below the medium one), so they are written
# to the company in one write, not field by field as related fields would.
HEALTH_SETTINGS = (
    "customer_health_weight_satisfaction",
    "customer_health_weight_frequency",
    "customer_health_weight_loyalty",
    "customer_health_weight_interaction",
    "customer_health_weight_complaint",
    "customer_health_frequency_target",
    "customer_health_loyalty_years",
    "customer_health_interaction_days",
    "customer_health_complaint_max",
    "customer_churn_high_below",
    "customer_churn_medium_below",
    "customer_churn_drop_points",
    "customer_churn_renewal_days",
    "customer_churn_complaint_spike",
)


def _health_setting(field_type, **kwargs):
    return field_type(
        compute="_compute_customer_health_settings",
        store=True,
        readonly=False,
        **kwargs,
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    customer_health_weight_satisfaction = _health_setting(fields.Integer)
    customer_health_weight_frequency = _health_setting(fields.Integer)
    customer_health_weight_loyalty = _health_setting(fields.Integer)
    customer_health_weight_interaction = _health_setting(fields.Integer)
    customer_health_weight_complaint = _health_setting(fields.Integer)
    customer_health_weight_total = fields.Integer(
        compute="_compute_customer_health_weight_total"
    )
    customer_health_frequency_target = _health_setting(fields.Float)
    customer_health_loyalty_years = _health_setting(fields.Integer)
    customer_health_interaction_days = _health_setting(fields.Integer)
    customer_health_complaint_max = _health_setting(fields.Integer)
    customer_churn_high_below = _health_setting(fields.Integer)
    customer_churn_medium_below = _health_setting(fields.Integer)
    customer_churn_drop_points = _health_setting(fields.Integer)
    customer_churn_renewal_days = _health_setting(fields.Integer)
    customer_churn_complaint_spike = _health_setting(fields.Integer)
    customer_care_birthday_days = fields.Integer(
        related="company_id.customer_care_birthday_days", readonly=False
    )
    customer_care_anniversary_days = fields.Integer(
        related="company_id.customer_care_anniversary_days", readonly=False
    )
    customer_care_new_year_tier_ids = fields.Many2many(
        related="company_id.customer_care_new_year_tier_ids", readonly=False
    )

    @api.depends("company_id")
    def _compute_customer_health_settings(self):
        for settings in self:
            for name in HEALTH_SETTINGS:
                settings[name] = settings.company_id[name]

    @api.depends(*HEALTH_SETTINGS[:5])
    def _compute_customer_health_weight_total(self):
        for settings in self:
            settings.customer_health_weight_total = sum(
                settings[name] for name in HEALTH_SETTINGS[:5]
            )

    def set_values(self):
        result = super().set_values()
        for settings in self:
            vals = {
                name: settings[name]
                for name in HEALTH_SETTINGS
                if settings[name] != settings.company_id[name]
            }
            if vals:
                settings.company_id.write(vals)
        return result
