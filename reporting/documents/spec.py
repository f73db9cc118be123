"""What one PDF export is: the document, its plan or filters, and who asked.

A spec is small and plain (JSON-able), so it can travel as a background task's argument and in a
signed status URL, and it is exactly what the cache fingerprint is computed from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from django.http import QueryDict


class Kind(StrEnum):
    PLAN = "plan"
    SCORECARD = "scorecard"
    ACTIONS = "actions"
    PROGRAMME = "programme"


TITLES = {
    Kind.PLAN: "Annual plan",
    Kind.SCORECARD: "Board pack (quarterly scorecard)",
    Kind.ACTIONS: "Action plan",
    Kind.PROGRAMME: "Programme report",
}

# Query-string keys that are not filters: django-tables2's sort and page, our own return marks.
NOT_FILTERS = {"sort", "page", "per_page"}


def normalise_query(data: QueryDict) -> str:
    """The filters as a canonical query string: sorted, blanks and non-filters dropped."""
    pairs = sorted(
        (key, value)
        for key, values in data.lists()
        if key not in NOT_FILTERS
        for value in values
        if value != ""
    )
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query.appendlist(key, value)
    return query.urlencode()


@dataclass(frozen=True)
class DocumentSpec:
    kind: Kind
    plan_id: int | None = None  # the plan (plan, scorecard; the command's action plan)
    quarter: str = ""  # "2006-Q2": the scorecard's quarter
    query: str = ""  # the action plan's filters, normalised
    org_ids: tuple[int, ...] = field(default=())  # the action plan's organisations
    user_id: int | None = None  # who asked; None for the management command

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "org_ids", tuple(sorted(self.org_ids)))

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def filters(self) -> QueryDict:
        return QueryDict(self.query)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["org_ids"] = list(self.org_ids)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> DocumentSpec:
        return cls(**{**data, "org_ids": tuple(data.get("org_ids") or ())})
