from odoo import api, models
from odoo.osv import expression

from .customer_complaint import OPEN_STATES


class CustomerComplaint(models.Model):
    """The figures of the service reports (服务周报, 服务监督报告): what came in,
    what was solved and how well, over a period, from grouped reads."""

    _inherit = "customer.complaint"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _customer_policy_overdue_domain(self, now):
        """Open tickets past a deadline at ``now``: response, customer contact or
        resolution."""
        return [
            ("state", "in", list(OPEN_STATES)),
            "|",
            "|",
            "&",
            ("first_response_at", "=", False),
            ("response_deadline", "<", now),
            "&",
            ("contacted_at", "=", False),
            ("contact_deadline", "<", now),
            ("resolution_deadline", "<", now),
        ]

    @api.model
    def _customer_policy_service_domains(self, scope, start, stop, now):
        """The domains a service report counts, within ``scope``, for the period
        [``start``, ``stop``) (naive UTC): received, answered late, resolved,
        resolved late, rated, repeat contacts, overdue now."""
        base = expression.AND([scope, [("state", "!=", "cancelled")]])
        received = expression.AND(
            [base, [("received_at", ">=", start), ("received_at", "<", stop)]]
        )
        resolved = expression.AND(
            [base, [("resolved_at", ">=", start), ("resolved_at", "<", stop)]]
        )
        return {
            "received": received,
            "response_late": expression.AND(
                [
                    received,
                    [
                        "|",
                        ("is_response_overdue", "=", True),
                        "&",
                        "&",
                        ("first_response_at", "=", False),
                        ("state", "in", list(OPEN_STATES)),
                        ("response_deadline", "<", now),
                    ],
                ]
            ),
            "resolved": resolved,
            "resolution_late": expression.AND(
                [resolved, [("is_resolution_overdue", "=", True)]]
            ),
            "rated": expression.AND(
                [
                    base,
                    [
                        ("closed_at", ">=", start),
                        ("closed_at", "<", stop),
                        ("satisfaction", "!=", False),
                    ],
                ]
            ),
            "repeat": expression.AND([received, [("is_repeat", "=", True)]]),
            "overdue": expression.AND(
                [base, self._customer_policy_overdue_domain(now)]
            ),
        }

    @api.model
    def _customer_policy_service_figures(self, scope, start, stop, now):
        """The figures of a service report over ``scope`` (a domain).

        :return: dict with the counts, the rates in percent (None when there is
            nothing to rate), the satisfaction average, and the records of the
            tickets received, the tickets overdue now, and the root causes of the
            tickets resolved, ranked: ``[(category or empty, count)]``
        """
        Ticket = self.sudo()
        domains = self._customer_policy_service_domains(scope, start, stop, now)
        counts = {
            key: Ticket.search_count(domain)
            for key, domain in domains.items()
            if key not in ("rated", "overdue")
        }
        rated_count, satisfaction = Ticket._read_group(
            domains["rated"], [], ["__count", "satisfaction_score:avg"]
        )[0]
        overdue = Ticket.search(domains["overdue"], order="received_at, id")
        causes = sorted(
            Ticket._read_group(
                domains["resolved"], ["root_cause_category_id"], ["__count"]
            ),
            key=lambda row: (-row[1], row[0].sequence, row[0].name or ""),
        )

        def rate(good, total):
            return round(100.0 * good / total, 1) if total else None

        return {
            "received": counts["received"],
            "resolved": counts["resolved"],
            "response_on_time_rate": rate(
                counts["received"] - counts["response_late"], counts["received"]
            ),
            "resolution_on_time_rate": rate(
                counts["resolved"] - counts["resolution_late"], counts["resolved"]
            ),
            "rated": rated_count,
            "satisfaction": round(satisfaction, 2) if rated_count else None,
            "repeat": counts["repeat"],
            "overdue": overdue,
            "tickets": Ticket.search(domains["received"], order="received_at, id"),
            "root_causes": causes,
        }
