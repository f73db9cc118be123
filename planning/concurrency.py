"""Optimistic concurrency: a save made from a page opened before somebody else's is refused.

A record (or a bookkeeping row standing for a group of records) carries a version. An edit form
sends back the version it was opened at; the save locks the row, compares, and either refuses
(StaleEditError: nothing is written) or writes and raises the version, so any other form opened
before this save is refused in turn. The lock makes check-then-write safe on PostgreSQL
(SELECT … FOR UPDATE); SQLite runs IMMEDIATE transactions (see settings), which serialise
writers the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction

from planning.validation import VersionField


class StaleEditError(Exception):
    """Somebody else saved after this user opened the page: nothing was written.

    ``current``: the record as saved now (None when the caller has none to show); ``changes``:
    what the other person changed, where the caller can say (e.g. the progress updates made
    since). The message says what happened, in words for the person whose save was refused.
    """

    def __init__(self, message: str, *, current=None, changes: Iterable = ()):
        self.current = current
        self.changes = list(changes)
        super().__init__(message)


def lock_at_version[M: models.Model](
    queryset: models.QuerySet[M],
    *,
    expected_version: int | None,
    stale_message: str,
    field: str = "version",
    bump: bool = True,
    changes: Callable[[M], Iterable] | None = None,
    of: tuple[str, ...] = (),
    **lookup,
) -> M:
    """The row `lookup` finds, locked until the transaction ends, if it is still at
    `expected_version`; else StaleEditError carrying it and `changes(row)`.

    With `bump` the returned row's version is already raised, to be saved with the caller's
    write (one save, so one history record). Without it the caller raises the version itself,
    e.g. only when something changed. `of`: which of the rows a select_related joins are
    locked (PostgreSQL's FOR UPDATE OF; all of them when empty).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_at_version needs a transaction: the lock ends with it.")
    row = queryset.select_for_update(of=of).get(**lookup)
    found = getattr(row, field)
    if found != expected_version:
        raise StaleEditError(stale_message, current=row, changes=changes(row) if changes else ())
    if bump:
        setattr(row, field, found + 1)
    return row


def opened_before(data, current_version: int, *, field: str = "version") -> bool:
    """Was the posted form `data` opened at another version than `current_version`? Read as
    the forms read it (VersionField): a form without a valid version is not judged here (its
    own validation says what is wrong)."""
    try:
        posted = VersionField(required=False).clean(data.get(field))
    except ValidationError:
        return False
    return posted is not None and posted != current_version
