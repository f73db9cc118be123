"""The one way a PDF is made: from the cache if its records are unchanged, else rendered.

Rendered PDFs are kept as MEDIA_ROOT/exports/<fingerprint>.pdf. A file is written under a
temporary name and renamed into place, so a reader never sees half a PDF and two renders of
the same document at once simply both finish. Old files are never served for changed records:
the fingerprint changes with them. (Pruning old files is left to the host's housekeeping;
each is small.)

Settings (all optional):

- PDF_BACKGROUND_THRESHOLD: documents with more objectives (or KPIs) than this are rendered by
  the task worker, not in the web request. Default 300.
- PDF_RENDER_TIMEOUT: seconds a render may take before it is stopped. Default 120.
- PDF_RENDER_MEMORY_MB: address-space limit of the render process. Default 2048.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from kpis.models import KPI
from objectives.filters import filter_summary
from planning.models import Plan
from reporting.documents import assemble, render, selectors
from reporting.documents.fingerprint import fingerprint
from reporting.documents.spec import DocumentSpec, Kind

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_THRESHOLD = 300
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048


def background_threshold() -> int:
    return int(getattr(settings, "PDF_BACKGROUND_THRESHOLD", DEFAULT_BACKGROUND_THRESHOLD))


def exports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def path_for(fp: str) -> Path:
    return exports_dir() / f"{fp}.pdf"


@dataclass
class Export:
    spec: DocumentSpec
    fingerprint: str
    path: Path
    rendered: bool  # False: served from the cache
    result: render.RenderResult | None = None

    @property
    def filename(self) -> str:
        return download_name(self.spec)


def cached(spec: DocumentSpec, fp: str | None = None) -> Export | None:
    fp = fp or fingerprint(spec)
    path = path_for(fp)
    if path.is_file():
        return Export(spec, fp, path, rendered=False)
    return None


def get_or_render(spec: DocumentSpec, fp: str | None = None) -> Export:
    """The PDF of `spec`, from the cache or rendered now (in a child process). `fp`: its
    fingerprint if the caller has just computed it."""
    fp = fp or fingerprint(spec)
    hit = cached(spec, fp)
    if hit is not None:
        return hit
    html = assemble.html_for(spec)
    path = path_for(fp)
    result = render_to(path, html)
    logger.info(
        "Rendered %s PDF %s: %d pages in %.1fs", spec.kind, fp[:12], result.pages, result.seconds
    )
    return Export(spec, fp, path, rendered=True, result=result)


def render_to(path: Path, html: str) -> render.RenderResult:
    """Render `html` to `path`, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".render-", suffix=".pdf")
    os.close(handle)
    try:
        result = render.render_pdf(
            html,
            base_url=assemble.base_url(),
            static_roots=assemble.static_roots(),
            target=Path(temporary),
            timeout=float(getattr(settings, "PDF_RENDER_TIMEOUT", DEFAULT_TIMEOUT)),
            memory_mb=int(getattr(settings, "PDF_RENDER_MEMORY_MB", DEFAULT_MEMORY_MB)),
        )
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return result


def size_of(spec: DocumentSpec, user=None) -> int:
    """How big the document is, in the unit of the background threshold."""
    if spec.kind == Kind.PLAN:
        return selectors.objective_count(spec.plan_id)
    if spec.kind == Kind.SCORECARD:
        return KPI.objects.filter(plan_id=spec.plan_id).count()
    _, queryset = selectors.action_objectives(
        user or assemble.user_for(spec), spec.filters, spec.org_ids
    )
    return queryset.count()


def download_name(spec: DocumentSpec) -> str:
    """E.g. ``ssp-business-plan-2006-07-action-plan-red.pdf``: the plan, the document, and the
    scorecard's quarter or the action plan's filters (as the filter list names them)."""
    plan = Plan.objects.filter(pk=spec.plan_id).only("slug").first() if spec.plan_id else None
    stem = {Kind.PLAN: "plan", Kind.SCORECARD: "board-pack", Kind.ACTIONS: "action-plan"}
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
