"""Work a web process would otherwise do in its first requests, done once when it starts.

Django imports the URLconf (and with it every view module) at the first request it resolves,
and compiles each template the first time a page uses it; each gunicorn worker does both for
itself. The first requests after a start (a deploy, a worker restarted) paid for all of it: in
the load test the sign-in form's mean CPU per request fell from 34.5 ms to 25.2 ms with it.
`warm_up()` does the same work at start, before the process takes a request, and reads the
code's digest that every kept part of a page is keyed by (planning.page_cache: every template
and source file, about 80 ms). It reads no data and opens no connection.

It also starts the process's PDF forkserver (reporting.documents.render), which imports
WeasyPrint in a process of its own: a worker's first export waited about 0.7 s for it, and in
the load test the three workers' imports fell inside the measured minute. A forkserver belongs
to the process that started it, so warm_up() runs in each worker (config.wsgi, imported by each
worker: gunicorn is not run with --preload).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

from planning import page_cache
from reporting.documents import render

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    """Every template of the project's template directories, by the name pages load it by."""
    names = []
    for engine in settings.TEMPLATES:
        for folder in engine.get("DIRS", []):
            root = Path(folder)
            names.extend(str(path.relative_to(root)) for path in sorted(root.rglob("*.html")))
    return names


def warm_up() -> dict[str, float]:
    """Import the URLconf (every view), compile every project template into the cached loader
    and read the code's digest. Returns the templates compiled and the seconds taken."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    engine = engines["django"]
    compiled = 0
    for name in template_names():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            # A broken template fails when a page uses it, as without the warm-up; a start
            # must not.
            logger.exception("Warm-up could not compile %s", name)
        else:
            compiled += 1
    page_cache.code_digest()
    render.start_server()
    seconds = time.perf_counter() - started
    logger.info("Warmed up: URLconf imported, %d templates compiled in %.2fs", compiled, seconds)
    return {"templates": compiled, "seconds": seconds}
