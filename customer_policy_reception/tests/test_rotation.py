from odoo.tests import BaseCase, tagged

from ..tools.rotation import Seat, apply, next_two, pick


@tagged("post_install", "-at_install")
class TestRotationRules(BaseCase):
    """The rotation's rules on plain data."""

    def test_regular_turns_go_round(self):
        seats = [Seat(1, True), Seat(2, True), Seat(3, True)]
        result = pick(seats, 2)
        self.assertEqual((result.index, result.position, result.skipped), (2, 0, ()))

    def test_away_member_is_passed_over_and_owed(self):
        seats = [Seat(1, True), Seat(2, False), Seat(3, True)]
        result = pick(seats, 1)
        self.assertEqual((result.index, result.skipped, result.position), (2, (1,), 0))
        self.assertEqual(apply(seats, result)[1].makeup, 1)

    def test_makeup_goes_first_and_keeps_the_position(self):
        seats = [Seat(1, True), Seat(2, True, makeup=2), Seat(3, True)]
        result = pick(seats, 0)
        self.assertEqual((result.index, result.makeup, result.position), (1, True, 0))
        self.assertEqual(apply(seats, result)[1].makeup, 1)

    def test_nobody_present(self):
        self.assertIsNone(pick([Seat(1, False), Seat(2, False)], 0))
        self.assertIsNone(pick([], 0))
        self.assertEqual(next_two([Seat(1, False)], 0), (None, None))

    def test_standby_is_the_next_other_member(self):
        seats = [Seat(1, True), Seat(2, True, makeup=2), Seat(3, True)]
        # B takes two make-ups first; then the regular turn is A's.
        self.assertEqual(next_two(seats, 0), (1, 0))
        self.assertEqual(next_two([Seat(1, True)], 0), (0, None))
