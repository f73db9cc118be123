"""Parts of pages kept in the shared cache under the content version (issue 17;
docs/decisions/page-cache.md).

A key is a digest of: the code (every template and Python file of the project, read once per
process, so a release never serves an older release's HTML), the content version
(planning.content_version: raised by the database whenever any plan content changes), today's
date (pages mark overdue items and open quarters), the part's name and what the caller says it
depends on: the record, the quarter, the reader's permissions as flags. A reader's identity is
never part of the HTML: what differs between two readers of one plan must be in ``parts``.

Nothing is kept when the content version cannot be read, and no HTML holding a CSRF token is
ever kept (such a part must be drawn for each request).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from planning import content_version

# Entries cannot go stale (the key changes with the content); the timeout only bounds memory.
TIMEOUT = 24 * 60 * 60
_MISSING = object()


@functools.cache
def code_digest() -> str:
    """A digest of the templates and the Python source of our apps, read once per process."""
    digest = hashlib.blake2b(digest_size=12)
    root = Path(settings.BASE_DIR)
    for top in ("templates", "config", *content_version.CONTENT_APPS):
        for path in sorted((root / top).rglob("*")):
            if path.suffix in {".py", ".html"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache():
    """The "pages" cache (config.settings.base), or the default where a setup has no other."""
    return caches["pages" if "pages" in settings.CACHES else "default"]


class PageCache:
    """One page's view of the cache: the content version is read once, at the first use, and
    every part of the page is keyed under it."""

    def __init__(self) -> None:
        self._version: int | None | object = _MISSING
        # part(): keys of parts made but not yet drawn, and what one round trip found for them.
        self._pending: list[str] = []
        self._found: dict[str, Any] = {}

    @property
    def version(self) -> int | None:
        if self._version is _MISSING:
            self._version = content_version.current()
        return self._version  # type: ignore[return-value]

    def key(self, name: str, parts: tuple) -> str | None:
        if self.version is None:
            return None  # the version's row is missing: nothing may be cached
        text = repr((code_digest(), self.version, timezone.localdate().isoformat(), name, parts))
        return f"page:{name}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"

    def value(self, name: str, *parts: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, or what it returned for the same content, day and parts."""
        key = self.key(name, parts)
        if key is None:
            return compute()
        value = _cache().get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            _cache().set(key, value, TIMEOUT)
        return value

    def part(self, name: str, *parts: Any, render: Callable[[], str]) -> Callable[[], SafeString]:
        """``html(name, *parts, render=render)``, drawn later: a callable for the template to
        call where it draws the part (not at all where it does not). The parts a page makes
        before it draws the first of them are read from the cache together, in one round trip:
        a read is about a quarter of a millisecond, each of the item page's parts one."""
        key = self.key(name, parts)
        if key is not None:
            self._pending.append(key)
        return functools.partial(self._draw, key, render)

    def _lookup(self, key: str) -> Any:
        """The cache's copy under ``key`` (or _MISSING), with every pending part's in the
        same round trip."""
        if key in self._pending:
            keys, self._pending = self._pending, []
            found = _cache().get_many(keys)
            self._found.update({k: found.get(k, _MISSING) for k in keys})
        if key in self._found:
            return self._found.pop(key)
        return _cache().get(key, _MISSING)

    def html(self, name: str, *parts: Any, render: Callable[[], str]) -> SafeString:
        """``render()``'s HTML, or what it rendered for the same content, day and parts."""
        return self._draw(self.key(name, parts), render)

    def _draw(self, key: str | None, render: Callable[[], str]) -> SafeString:
        html = self._lookup(key) if key is not None else _MISSING
        if html is _MISSING:
            html = str(render())
            if key is not None and "csrfmiddlewaretoken" not in html:
                _cache().set(key, html, TIMEOUT)
        return mark_safe(html)  # noqa: S308 - template output, escaped when it was rendered
