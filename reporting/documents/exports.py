"""The one way a PDF is made: from the cache if its records are unchanged, else rendered.

Rendered PDFs are kept in the "exports" storage (settings.STORAGES) as exports/<fingerprint>.pdf:
files under MEDIA_ROOT on one machine, or an S3-compatible bucket when one is configured, so any
number of web servers and workers share them. Old files are never served for changed records:
the fingerprint changes with them. (Pruning old files is left to the host's housekeeping or the
bucket's lifecycle rule; each is small.)

Who renders is decided in the database (reporting.models.ExportRender): the process that claims
a fingerprint renders it; any other that asks for the same document meanwhile waits for the
file instead of rendering it again. A claim older than the render timeout is taken over, so a
renderer that died does not block the document for ever. A file is stored only once complete
(under a temporary name then renamed on disk; one PUT on S3), so a reader never sees half a PDF.

Settings (all optional):

- PDF_BACKGROUND_THRESHOLD: documents with more objectives (or KPIs) than this are rendered by
  the task worker, not in the web request. Default 300.
- PDF_RENDER_TIMEOUT: seconds a render may take before it is stopped. Default 120.
- PDF_RENDER_MEMORY_MB: address-space limit of the render process. Default 2048.
- PDF_RENDER_NICE: how far the render process lowers its CPU priority (0-19). Default 19: a
  render is batch work; on a machine that also serves pages, they go first.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from kpis.models import KPI
from objectives.filters import filter_summary
from planning.models import Plan
from reporting.documents import assemble, programme, render, selectors
from reporting.documents.fingerprint import fingerprint
from reporting.documents.spec import DocumentSpec, Kind
from reporting.models import ExportRender

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_THRESHOLD = 300
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048
DEFAULT_NICE = 19


def background_threshold() -> int:
    return int(getattr(settings, "PDF_BACKGROUND_THRESHOLD", DEFAULT_BACKGROUND_THRESHOLD))


def storage():
    """Where rendered PDFs live: settings.STORAGES["exports"]."""
    return storages["exports"]


def name_for(fp: str) -> str:
    return f"exports/{fp}.pdf"


# How often a process waiting for another's render looks for the file.
WAIT_INTERVAL = 0.25


@dataclass
class Export:
    spec: DocumentSpec
    fingerprint: str
    name: str  # in storage()
    rendered: bool  # False: served from the cache (or rendered by another process meanwhile)
    result: render.RenderResult | None = None

    @property
    def filename(self) -> str:
        return download_name(self.spec)

    def open(self):
        return storage().open(self.name, "rb")

    def read_bytes(self) -> bytes:
        with self.open() as handle:
            return handle.read()

    @property
    def path(self) -> Path:
        """The local file, where the storage is a local one (tests, benchmarks, the command)."""
        return Path(storage().path(self.name))


def cached(spec: DocumentSpec, fp: str | None = None) -> Export | None:
    fp = fp or fingerprint(spec)
    name = name_for(fp)
    if storage().exists(name):
        return Export(spec, fp, name, rendered=False)
    return None


def get_or_render(spec: DocumentSpec, fp: str | None = None) -> Export:
    """The PDF of `spec`, from the cache or rendered now (in a child process), by this process
    or, if another is already rendering it, by that one. `fp`: its fingerprint if the caller
    has just computed it."""
    fp = fp or fingerprint(spec)
    timeout = float(getattr(settings, "PDF_RENDER_TIMEOUT", DEFAULT_TIMEOUT))
    deadline = time.monotonic() + timeout + 30
    while True:
        hit = cached(spec, fp)
        if hit is not None:
            return hit
        if _claim(fp, stale_after=timeout + 30):
            return _render_claimed(spec, fp)
        if time.monotonic() > deadline:
            # The other renderer has had its time: its claim is stale by now, so the next
            # round takes it over rather than waiting again.
            deadline = time.monotonic() + timeout + 30
        time.sleep(WAIT_INTERVAL)


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _claim(fp: str, *, stale_after: float) -> bool:
    """Claim the render of `fp`: True if this process is to render it now. A claim is free when
    nobody holds one, when the holder finished (yet the file is gone) or when it is stale."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ExportRender.objects.create(fingerprint=fp, claimed_at=now, claimed_by=_me())
        return True
    except IntegrityError:
        pass
    # One conditional UPDATE: of two processes taking over the same claim, one matches.
    free = Q(finished_at__isnull=False) | Q(claimed_at__lt=now - timedelta(seconds=stale_after))
    taken = ExportRender.objects.filter(free, fingerprint=fp).update(
        claimed_at=now, claimed_by=_me(), finished_at=None
    )
    return taken == 1


def _release(fp: str) -> None:
    """A render that failed gives its claim back at once, so the next ask tries again."""
    ExportRender.objects.filter(fingerprint=fp, claimed_by=_me(), finished_at__isnull=True).delete()


def _render_claimed(spec: DocumentSpec, fp: str) -> Export:
    try:
        html = assemble.html_for(spec)
        name = name_for(fp)
        result = render_to(name, html)
    except BaseException:
        _release(fp)
        raise
    ExportRender.objects.filter(fingerprint=fp).update(
        finished_at=timezone.now(),
        pages=result.pages,
        seconds=result.seconds,
        renders=F("renders") + 1,
    )
    logger.info(
        "Rendered %s PDF %s: %d pages in %.1fs", spec.kind, fp[:12], result.pages, result.seconds
    )
    return Export(spec, fp, name, rendered=True, result=result)


def render_to(name: str, html: str) -> render.RenderResult:
    """Render `html` into the exports storage as `name`. The renderer writes a local temporary
    file; the storage receives it only when complete."""
    handle, temporary = tempfile.mkstemp(prefix="waymark-render-", suffix=".pdf")
    os.close(handle)
    try:
        result = render.render_pdf(
            html,
            base_url=assemble.base_url(),
            static_roots=assemble.static_roots(),
            target=Path(temporary),
            timeout=float(getattr(settings, "PDF_RENDER_TIMEOUT", DEFAULT_TIMEOUT)),
            memory_mb=int(getattr(settings, "PDF_RENDER_MEMORY_MB", DEFAULT_MEMORY_MB)),
            niceness=int(getattr(settings, "PDF_RENDER_NICE", DEFAULT_NICE)),
        )
        with open(temporary, "rb") as rendered:
            stored = storage().save(name, File(rendered, name=name))
        if stored != name:  # a storage that renames instead of replacing would break the cache
            raise RuntimeError(f"The exports storage stored {name} as {stored}.")
    finally:
        Path(temporary).unlink(missing_ok=True)
    return result


def size_of(spec: DocumentSpec, user=None) -> int:
    """How big the document is, in the unit of the background threshold."""
    if spec.kind == Kind.PLAN:
        return selectors.objective_count(spec.plan_id)
    if spec.kind == Kind.SCORECARD:
        return KPI.objects.filter(plan_id=spec.plan_id).count()
    if spec.kind == Kind.PROGRAMME:
        return programme.item_count(spec.plan_id)
    _, queryset = selectors.action_objectives(
        user or assemble.user_for(spec), spec.filters, spec.org_ids
    )
    return queryset.count()


def download_name(spec: DocumentSpec) -> str:
    """E.g. ``ssp-business-plan-2006-07-action-plan-red.pdf``: the plan, the document, and the
    scorecard's quarter or the action plan's filters (as the filter list names them)."""
    plan = Plan.objects.filter(pk=spec.plan_id).only("slug").first() if spec.plan_id else None
    stem = {
        Kind.PLAN: "plan",
        Kind.SCORECARD: "board-pack",
        Kind.ACTIONS: "action-plan",
        Kind.PROGRAMME: "programme-report",
    }
    parts = [plan.slug if plan else "", stem[spec.kind], spec.quarter]
    if spec.kind == Kind.ACTIONS and spec.query:
        parts += [value for label, value in _filters(spec) if label != "Plan"]
    return slugify("-".join(p for p in parts if p))[:150].strip("-") + ".pdf"


def _filters(spec: DocumentSpec) -> list[tuple[str, str]]:
    try:
        filterset = selectors.filtered_objectives(assemble.user_for(spec), spec.filters)
    except selectors.InvalidFilters:
        return []
    return filter_summary(filterset)
