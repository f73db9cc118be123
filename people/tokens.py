"""Invitation tokens: a random secret in the e-mailed link, only its hash in the database.

Plain Python, no Django. The link carries the secret; the table holds its SHA-256, so a copy of
the database (a backup, a read-only replica) cannot be turned into a working invitation. A
link that was cut short or edited hashes to nothing stored: it is refused as not valid.
"""

from __future__ import annotations

import hashlib
import re
import secrets

# secrets.token_urlsafe(32): 43 URL-safe characters. Anything else was not made here.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: str) -> bool:
    return TOKEN_PATTERN.fullmatch(text or "") is not None
