"""HTML to PDF in a child process, under a time limit and a memory limit.

WeasyPrint runs in a process of its own so that a document that is too big, or a bug that
loops, costs that process and never the web worker or the task worker that asked for it:

- the child caps its own address space (`RLIMIT_AS`) before it starts, so an allocation past
  the limit fails in the child (MemoryError, or the child dies) and the parent reports it;
- the parent waits at most `timeout` seconds for an answer, then kills the child;
- the child lowers its own CPU priority (`nice`) before it starts, so that on a machine that
  also serves pages a render of several seconds takes what the pages leave, rather than holding
  up every request queued behind it (issue 17: in the load test, renders took about a third of
  the web server's CPU, and pages waited on them).

Children come from a "forkserver": a clean process started once per parent, with WeasyPrint
already imported (preloaded), that forks a child per render. Forking the parent itself is not
safe: gunicorn, pytest's live server and the task worker may run threads, and a thread holding a
lock at fork time leaves the child deadlocked. "spawn" would also be safe but re-imports
WeasyPrint (over a second) for every document.

The child is handed finished HTML and writes the PDF straight to a file: it never touches the
database or Django. This module imports nothing from Django for that reason.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged PDF with PDF/UA-1 metadata: title, language, structure
MB = 1024 * 1024
_context = None


class RenderError(RuntimeError):
    """The PDF could not be produced."""


class RenderTimeout(RenderError):
    """The render took longer than its time limit and was stopped."""


class RenderMemoryError(RenderError):
    """The render needed more memory than its limit."""


@dataclass
class RenderResult:
    pages: int
    seconds: float
    # URLs the fetcher served and refused, for the log and the tests.
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # The CPU priority the render ran at (its process's niceness), as the child saw it.
    niceness: int = 0


def pdf_options() -> dict:
    return {"pdf_variant": PDF_VARIANT, "optimize_images": True}


def write_pdf(html: str, base_url: str, static_roots: list[str], target: str) -> RenderResult:
    """Render in this process, through our fetcher. The child runs this; so can a test."""
    # Imported here, in the render child (which preloads both): a web process that serves a
    # PDF from the cache never loads WeasyPrint.
    from weasyprint import HTML

    from reporting.documents.fetcher import StaticFilesFetcher

    started = time.perf_counter()
    fetcher = StaticFilesFetcher(static_roots)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**pdf_options())
    document.write_pdf(target, **pdf_options())
    return RenderResult(
        pages=len(document.pages),
        seconds=time.perf_counter() - started,
        fetched=fetcher.fetched,
        refused=fetcher.refused,
    )


def _child(conn, html, base_url, static_roots, target, memory_bytes, niceness=0):
    try:
        if niceness:
            os.nice(niceness)
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        result = write_pdf(html, base_url, static_roots, target)
        result.niceness = os.nice(0)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", "The document needs more memory than the render limit allows."))
    except BaseException as error:  # noqa: BLE001 - everything is reported to the parent
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def context():
    """The forkserver context, WeasyPrint preloaded in the server."""
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["weasyprint", "reporting.documents.fetcher"])
        _context = ctx
    return _context


def start_server() -> None:
    """Start this process's forkserver now, WeasyPrint importing in it (about 0.7 s of CPU),
    rather than at the process's first PDF, which otherwise waits for it (config/warmup.py)."""
    context()
    forkserver.ensure_running()


def render_pdf(
    html: str,
    *,
    base_url: str,
    static_roots: list[str],
    target: Path,
    timeout: float,
    memory_mb: int,
    niceness: int = 0,
) -> RenderResult:
    """Write the PDF of `html` to `target` in a child process; raise RenderError on failure.

    `target` is written only by the child; on any failure it is removed. `niceness`: how much
    the child lowers its CPU priority (0 to 19; it can only lower it).
    """
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child,
        args=(send, html, base_url, list(static_roots), str(target), memory_mb * MB, niceness),
        name="waymark-pdf",
        daemon=True,
    )
    child.start()
    send.close()  # the child holds the only write end: EOF if it dies without answering
    try:
        if not receive.poll(timeout):
            raise RenderTimeout(f"The PDF took longer than {timeout:g} seconds and was stopped.")
        try:
            status, payload = receive.recv()
        except EOFError:
            child.join(5)
            raise RenderError(
                f"The PDF renderer stopped unexpectedly (exit code {child.exitcode})."
            ) from None
    except RenderError:
        _discard(target)
        raise
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == "ok":
        for url in payload.refused:
            logger.warning("PDF render left out a refused resource: %s", url[:200])
        return payload
    _discard(target)
    if status == "memory":
        raise RenderMemoryError(payload)
    raise RenderError(payload)


def _discard(path: Path) -> None:
    Path(path).unlink(missing_ok=True)
