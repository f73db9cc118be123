"""Background rendering of big PDFs, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from reporting.documents import exports
from reporting.documents.spec import DocumentSpec


@task()
def export_document(spec: dict) -> dict:
    """Render (or find in the cache) the document of `spec` (DocumentSpec.to_dict()).

    Returns the fingerprint it was stored under, which is the one the status page looks for:
    the records may have changed since the export was asked for.
    """
    export = exports.get_or_render(DocumentSpec.from_dict(spec))
    return {
        "fingerprint": export.fingerprint,
        "pages": export.result.pages if export.result else None,
        "rendered": export.rendered,
    }
