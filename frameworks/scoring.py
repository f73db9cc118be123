"""The arithmetic of a competency framework, in plain Python (no Django): the latest assessed
level, the next target by date, and the gap between them.

gap = target level − latest assessed level: positive, the levels still to climb; zero or
negative, the target is met. A competency not yet assessed, or without a target, has no gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# The McKinsey 7S set, offered ready-made for a gap analysis: (name, what it covers).
SEVEN_S: tuple[tuple[str, str], ...] = (
    ("Strategy", "The plan for reaching the organisation's goals."),
    ("Structure", "How the organisation is divided and who reports to whom."),
    ("Systems", "The processes and procedures by which work gets done."),
    ("Shared values", "The core beliefs and culture at the centre of the other six."),
    ("Style", "How leaders behave and how they lead."),
    ("Staff", "The people: their numbers, types and development."),
    ("Skills", "The capabilities of the organisation and its people."),
)


@dataclass(frozen=True, order=True)
class Dated:
    """A level on a date: an assessed score, or a target."""

    on: dt.date
    level: int


@dataclass(frozen=True)
class NextTarget:
    on: dt.date
    level: int
    passed: bool  # every target's date has gone by: this is the latest of them


@dataclass(frozen=True)
class Standing:
    """One competency: its latest assessed level, the next target and the gap."""

    latest: Dated | None
    target: NextTarget | None

    @property
    def gap(self) -> int | None:
        return gap(
            self.target.level if self.target else None,
            self.latest.level if self.latest else None,
        )

    @property
    def met(self) -> bool | None:
        g = self.gap
        return None if g is None else g <= 0

    @property
    def gap_words(self) -> str:
        return gap_words(self.gap)


def level_problem(level: int | None, level_count: int) -> str | None:
    """Why ``level`` is not a level of a framework with ``level_count`` levels (None if it is)."""
    if level is None:
        return None
    if not 1 <= level <= level_count:
        return f"Enter a level from 1 to {level_count}: this framework has {level_count} levels"
    return None


def latest(scores: Iterable[Dated], *, on: dt.date | None = None) -> Dated | None:
    """The most recent score (on or before ``on``, if given)."""
    best = None
    for score in scores:  # in the order given: of two on one day, the later one counts
        if (on is None or score.on <= on) and (best is None or score.on >= best.on):
            best = score
    return best


def next_target(targets: Iterable[Dated], *, on: dt.date) -> NextTarget | None:
    """The first target dated on or after ``on``; when every target's date has passed, the
    latest of them (marked passed), so a past plan still shows what it aimed at."""
    ordered = sorted(targets, key=lambda t: t.on)
    if not ordered:
        return None
    for target in ordered:
        if target.on >= on:
            return NextTarget(target.on, target.level, passed=False)
    last = ordered[-1]
    return NextTarget(last.on, last.level, passed=True)


def gap(target: int | None, latest_level: int | None) -> int | None:
    """target − latest assessed level; None when either is missing."""
    if target is None or latest_level is None:
        return None
    return target - latest_level


def gap_words(value: int | None) -> str:
    if value is None:
        return "No gap to show"
    if value <= 0:
        return "Target met" if value == 0 else f"Target exceeded by {-value}"
    return f"{value} level{'s' if value != 1 else ''} to go"


def standing(scores: Iterable[Dated], targets: Iterable[Dated], *, on: dt.date) -> Standing:
    return Standing(latest=latest(scores), target=next_target(targets, on=on))
