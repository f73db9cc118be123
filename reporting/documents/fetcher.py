"""WeasyPrint's only way to the outside world while it renders one of our PDFs.

It serves `data:` URLs and files under our own static directories, and refuses everything
else: no network (http, https, ftp …), no `file://` outside the static roots (resolved, so a
`..` or a symlink cannot climb out). A refused URL is logged and recorded; WeasyPrint carries on
without the resource, so a stray URL can never fail a document, only go missing from it.

Plain Python and WeasyPrint: it runs in the render's child process, which has no Django.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# What a static file is served as. Anything else is refused: a PDF needs nothing more.
CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RefusedURL(ValueError):
    """A URL this fetcher will not open. WeasyPrint logs it and leaves the resource out."""


class StaticFilesFetcher(URLFetcher):
    """Serves data: URLs and files under `roots` only; records what it served and refused."""

    def __init__(self, roots, **kwargs):
        # No handlers and no protocols beyond ours: even super().fetch() could open nothing
        # but data: URLs.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
        self.roots = [Path(os.path.realpath(root)) for root in roots]
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        match = UNICODE_SCHEME_RE.match(url)
        scheme = match[1].lower() if match else ""
        try:
            if scheme == "data":
                response = super().fetch(url, headers)
            elif scheme == "file":
                response = self._static_file(url)
            else:
                raise RefusedURL(f"Refused {scheme or 'relative'} URL: only static files.")
        except RefusedURL:
            self.refused.append(url)
            logger.warning("PDF render refused %s", url[:200])
            raise
        self.fetched.append(url if scheme != "data" else "data:")
        return response

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Refused file URL on host {parts.netloc!r}.")
        path = Path(os.path.realpath(url2pathname(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"Refused {path}: not under the static directories.")
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            raise RefusedURL(f"Refused {path}: not a stylesheet, image or font.")
        if not path.is_file():
            raise RefusedURL(f"Refused {path}: no such file.")
        headers = {"Content-Type": content_type}
        if content_type == "text/css":
            headers["Content-Type"] = "text/css; charset=utf-8"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers)
