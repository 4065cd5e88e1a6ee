"""Moments in a demo story: a working day counted back from today (1 is the last working day
before today, 0 the first from today on) and a minute after midnight, council time."""

from __future__ import annotations

import random

# Office hours, in minutes after midnight: members file and officers respond in them.
OPENS, CLOSES = 8 * 60 + 30, 17 * 60 + 15


class Clock:
    """Hands out the moments of one story in order, never going back in time."""

    def __init__(self, rng: random.Random, day: int, minute: int) -> None:
        self.rng, self.day, self.minute = rng, day, minute

    def at(self, day: int) -> tuple[int, int]:
        day = min(day, self.day)
        if day == self.day:
            minute = min(self.minute + self.rng.randint(20, 90), 21 * 60)
        else:
            minute = self.rng.randint(OPENS, CLOSES)
        self.day, self.minute = day, minute
        return day, minute

    def after(self, days: int) -> tuple[int, int]:
        return self.at(self.day - days)
