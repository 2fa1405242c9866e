"""The reception rotation (接待轮值) as plain data, so that it reads like the policy.

A roster is a list of ``Seat`` in the order of the day. ``position`` is the index of
the member whose regular turn comes next. The rules:

- a member who owes make-up turns and is at the desk takes the next new visitor
  (补接), before the regular rotation goes on, which then stays where it was;
- otherwise the regular rotation goes round from ``position``: a member who is away
  or busy is passed over and owes one make-up turn for it (空一轮，补接一名);
- returning and designated visitors are outside the rotation: nothing moves.
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Seat:
    key: int
    present: bool
    makeup: int = 0


@dataclass(frozen=True)
class Pick:
    """Who takes the next new visitor, and what it does to the roster."""

    index: int
    makeup: bool
    skipped: tuple
    position: int


def pick(seats, position):
    """The next new visitor's salesperson, or ``None`` when nobody is at the desk."""
    count = len(seats)
    if not count:
        return None
    position = position % count
    order = [(position + step) % count for step in range(count)]
    for index in order:
        if seats[index].present and seats[index].makeup > 0:
            return Pick(index=index, makeup=True, skipped=(), position=position)
    skipped = []
    for index in order:
        if seats[index].present:
            return Pick(
                index=index,
                makeup=False,
                skipped=tuple(skipped),
                position=(index + 1) % count,
            )
        skipped.append(index)
    return None


def apply(seats, result):
    """The roster after ``result`` (a ``Pick``) took place."""
    seats = list(seats)
    for index in result.skipped:
        seats[index] = replace(seats[index], makeup=seats[index].makeup + 1)
    if result.makeup:
        seat = seats[result.index]
        seats[result.index] = replace(seat, makeup=seat.makeup - 1)
    return seats


def next_two(seats, position):
    """Indexes of who is next and who is on standby, or ``None``.

    The standby is the next *other* member in line: the one who waits to take over
    the desk, even when the first still owes several make-up turns.
    """
    first = pick(seats, position)
    if first is None:
        return None, None
    current = first
    for _step in range(len(seats) + sum(seat.makeup for seat in seats)):
        seats = apply(seats, current)
        current = pick(seats, current.position)
        if current is None:
            break
        if current.index != first.index:
            return first.index, current.index
    return first.index, None
