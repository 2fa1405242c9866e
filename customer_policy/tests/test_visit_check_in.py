from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerVisitCase


@tagged("post_install", "-at_install")
class TestVisitCheckIn(CustomerVisitCase):
    """Check-in on site: the button records the time and the phone's position."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(self.customer_strategic, state="planned").with_user(
            self.user_sales
        )

    def test_position_recorded_with_its_accuracy_and_a_map(self):
        result = self.visit.action_check_in(
            latitude=31.2304, longitude=121.4737, accuracy=12.4
        )
        self.assertTrue(self.visit.check_in_date)
        self.assertEqual(self.visit.check_in_position_state, "recorded")
        self.assertAlmostEqual(self.visit.check_in_latitude, 31.2304)
        self.assertAlmostEqual(self.visit.check_in_longitude, 121.4737)
        self.assertAlmostEqual(self.visit.check_in_accuracy, 12.4)
        # Amap takes longitude first; the phone's coordinates are WGS-84.
        self.assertEqual(
            self.visit.check_in_map_url,
            "https://uri.amap.com/marker?position=121.473700,31.230400"
            "&coordinate=wgs84&callnative=1",
        )
        self.assertEqual(
            result,
            {
                "position_state": "recorded",
                "map_url": self.visit.check_in_map_url,
                "accuracy": 12.4,
            },
        )

    def test_refused_position_is_said_and_kept(self):
        for error in ("refused", "unavailable", "timeout"):
            visit = self._visit(self.customer_general, state="planned").with_user(
                self.user_sales
            )
            with self.subTest(error=error):
                result = visit.action_check_in(error=error)
                self.assertTrue(visit.check_in_date)
                self.assertEqual(visit.check_in_position_state, error)
                self.assertFalse(visit.check_in_map_url)
                self.assertEqual(result["position_state"], error)

    def test_no_answer_is_unavailable(self):
        self.visit.action_check_in()
        self.assertEqual(self.visit.check_in_position_state, "unavailable")

    def test_position_cannot_be_typed(self):
        """The check-in is evidence: no screen or RPC writes it but the button."""
        for vals in (
            {"check_in_latitude": 31.0},
            {"check_in_date": "2026-01-05 02:00:00"},
            {"check_in_position_state": "recorded"},
        ):
            with self.subTest(vals=vals), self.assertRefused(UserError, "Check In"):
                self.visit.write(vals)
        self.assertFalse(self.visit.check_in_date)

    def test_invalid_position_refused(self):
        with self.assertRefused(ValidationError, "not a valid location"):
            self.visit.action_check_in(latitude=123.0, longitude=121.0, accuracy=5)
        self.assertFalse(self.visit.check_in_date)

    def test_only_once_and_only_planned(self):
        self.visit.action_check_in(latitude=31.2, longitude=121.4, accuracy=8)
        with self.assertRefused(UserError, "already checked in"):
            self.visit.action_check_in(latitude=30.0, longitude=120.0, accuracy=8)
        self.assertAlmostEqual(self.visit.check_in_latitude, 31.2)
        done = self._visit(self.customer_general).with_user(self.user_sales)
        with self.assertRefused(UserError, "Only a planned visit"):
            done.action_check_in(latitude=31.2, longitude=121.4)
