from odoo import models


class CustomerPayment(models.Model):
    _inherit = "customer.payment"

    def action_post(self):
        # Commission is earned when the money comes in: the posted payments'
        # allocations are the collections of the month.
        result = super().action_post()
        self.sudo().allocation_ids.agreement_id._commission_refresh()
        return result

    def action_cancel(self):
        # Cancelling removes the allocations: remember whose commission they paid,
        # the reversal lands in those agreements' next open statements.
        agreements = self.sudo().allocation_ids.agreement_id
        result = super().action_cancel()
        agreements._commission_refresh()
        return result
