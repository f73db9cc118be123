"""Who has not updated for the quarter being reported: the rule, in plain Python (no Django).

A member is answerable for an item as planning.permissions.leads() says: the item sits in one of
their units, or names as lead or SRO a role held by a plan record (Person) linked to them. An
item counts as not updated when it is open and has no current progress update for its plan's
reporting quarter (reporting_quarter below). people.selectors loads the facts in a fixed number
of queries and hands them here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planning.fy import Quarter


def reporting_quarter(
    open_quarters: list[tuple[Quarter, dt.date | None]], *, first_year: int, last_year: int
) -> tuple[Quarter, dt.date | None] | None:
    """The quarter a plan is being reported for now, from its calendar's open quarters (oldest
    first, each with the day it locks; None: reopened by a planner).

    The oldest open quarter with a deadline: after a quarter ends its deadline comes first, so
    that is the one to chase; otherwise the current one. A reopened quarter only when no other
    falls in the plan's years (a plan of past years, reopened for late figures). None when no
    open quarter falls in the plan's years."""
    within = [(q, d) for q, d in open_quarters if first_year <= q.year <= last_year]
    dated = [(q, d) for q, d in within if d is not None]
    if dated:
        return dated[0]
    return within[-1] if within else None


@dataclass(frozen=True)
class Item:
    pk: int
    label: str
    plan_id: int
    org_unit_id: int | None
    role_ids: frozenset[int]  # lead and SRO roles


@dataclass(frozen=True)
class Member:
    membership_id: int
    unit_ids: frozenset[int]
    role_ids: frozenset[int]  # roles held by the plan records linked to them

    def answers_for(self, item: Item) -> bool:
        if item.org_unit_id is not None and item.org_unit_id in self.unit_ids:
            return True
        return bool(self.role_ids & item.role_ids)


@dataclass
class Chase:
    """Each member's items not updated (only members with some), and the items nobody is
    answerable for (chase them through the lead the plan names)."""

    by_member: dict[int, list[Item]] = field(default_factory=dict)
    unanswered: list[Item] = field(default_factory=list)


def chase(members: list[Member], not_updated: list[Item]) -> Chase:
    result = Chase()
    for item in not_updated:
        answerable = [m for m in members if m.answers_for(item)]
        if not answerable:
            result.unanswered.append(item)
        for member in answerable:
            result.by_member.setdefault(member.membership_id, []).append(item)
    return result
