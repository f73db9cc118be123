"""Compare two snapshots of a plan's content (planning.plan_content.snapshot): item by item and
field by field, grouped by kind of record. Pure: plain data in, plain data out, no Django.

An item is the same item in both when its id (the row's primary key) is the same: a refresh
keeps the plan's rows, so renumbering an objective is a change to its reference, not a removal
and an addition. An item only in the later snapshot is added; only in the earlier, removed;
in both with a field whose value differs, changed (each such field: before → after).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
CHANGE_LABELS = {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    change: str  # ADDED, REMOVED or CHANGED
    name: str  # how a user knows the item: "EST-1", "SP3"
    summary: str  # an added or removed item's main text
    fields: tuple[FieldChange, ...] = ()

    @property
    def change_label(self) -> str:
        return CHANGE_LABELS[self.change]


@dataclass
class KindChanges:
    key: str
    label: str
    items: list[ItemChange] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for item in self.items if item.change == change)

    @property
    def added(self) -> int:
        return self.count(ADDED)

    @property
    def removed(self) -> int:
        return self.count(REMOVED)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)


@dataclass(frozen=True)
class Row:
    """One line of the comparison table (the page's and the PDF's)."""

    kind: str
    item: str
    change: str
    field: str
    before: str
    after: str


def _kinds(snapshot: dict | None) -> dict[str, dict]:
    return {kind["key"]: kind for kind in (snapshot or {}).get("kinds", [])}


def compare(before: dict | None, after: dict | None) -> list[KindChanges]:
    """What changed from `before` to `after`, kind by kind (in `after`'s order, then any kind
    only `before` has), leaving out kinds where nothing changed."""
    old_kinds, new_kinds = _kinds(before), _kinds(after)
    keys = list(new_kinds) + [key for key in old_kinds if key not in new_kinds]
    result = []
    for key in keys:
        old, new = old_kinds.get(key, {}), new_kinds.get(key, {})
        label = new.get("label") or old.get("label") or key
        changes = _compare_items(old, new)
        if changes:
            result.append(KindChanges(key, label, changes))
    return result


def _compare_items(old: dict, new: dict) -> list[ItemChange]:
    labels = dict(old.get("fields", [])) | dict(new.get("fields", []))
    order = [name for name, _ in new.get("fields", []) or old.get("fields", [])]
    old_items = {item["id"]: item for item in old.get("items", [])}
    new_items = {item["id"]: item for item in new.get("items", [])}
    summary_old = old.get("summary", "")
    summary_new = new.get("summary", "")
    changes = []
    for item_id, item in new_items.items():
        earlier = old_items.get(item_id)
        if earlier is None:
            summary = item["values"].get(summary_new, "")
            changes.append(ItemChange(ADDED, item["name"], summary))
            continue
        if earlier["values"] == item["values"] and earlier["name"] == item["name"]:
            continue  # most items: one comparison of two dicts, in C
        fields = []
        names = order + [n for n in item["values"] if n not in order]
        for name in names:
            was = earlier["values"].get(name, "")
            now = item["values"].get(name, "")
            if was != now:
                fields.append(FieldChange(labels.get(name, name), was, now))
        if fields:
            changes.append(ItemChange(CHANGED, item["name"], "", tuple(fields)))
    for item_id, item in old_items.items():
        if item_id not in new_items:
            summary = item["values"].get(summary_old, "")
            changes.append(ItemChange(REMOVED, item["name"], summary))
    return changes


def rows(changes: list[KindChanges]) -> list[Row]:
    """The comparison as table rows: an added or removed item is one row; a changed item one
    row per changed field."""
    result = []
    for kind in changes:
        for item in kind.items:
            if item.change == CHANGED:
                for change in item.fields:
                    result.append(
                        Row(kind.label, item.name, item.change_label, *_field_row(change))
                    )
            elif item.change == ADDED:
                result.append(Row(kind.label, item.name, item.change_label, "", "", item.summary))
            else:
                result.append(Row(kind.label, item.name, item.change_label, "", item.summary, ""))
    return result


def _field_row(change: FieldChange) -> tuple[str, str, str]:
    return change.label, change.before, change.after


def totals(changes: list[KindChanges]) -> dict[str, int]:
    return {
        ADDED: sum(kind.added for kind in changes),
        REMOVED: sum(kind.removed for kind in changes),
        CHANGED: sum(kind.changed for kind in changes),
    }


# ---------------------------------------------------------------------------------------------
# Version labels: 4.0 → 4.1
# ---------------------------------------------------------------------------------------------

_LAST_NUMBER = re.compile(r"^(?P<head>.*?)(?P<number>\d+)(?P<tail>\D*)$")


def next_label(label: str, used: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The label after `label` that `used` does not hold: its last number raised by one
    ("4.0" → "4.1", "4.9" → "4.10", "v2.3" → "v2.4"); a whole number gains a decimal ("4" →
    "4.1"). None when `label` has no number to raise (the planner types one)."""
    label = label.strip()
    match = _LAST_NUMBER.match(label)
    if not match:
        return None
    if "." not in label and match["head"] == "" and match["tail"] == "":
        head, number, tail = f"{label}.", 0, ""
    else:
        head, number, tail = match["head"], int(match["number"]), match["tail"]
    while True:
        number += 1
        candidate = f"{head}{number}{tail}"
        if candidate not in used:
            return candidate
