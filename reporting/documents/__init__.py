"""PDF exports of a plan's records: the annual plan, the board pack and the action plan.

    spec.py         what one export is (DocumentSpec: kind, plan, quarter, filters, who asked)
    selectors.py    what each document shows, read through the pages' own selectors
    assemble.py     spec -> HTML (templates/reporting/pdf/documents/, static/css/pdf.css)
    render.py       HTML -> PDF in a child process, under a time and a memory limit
    fetcher.py      the only URLs a render may open: our static files and data: URLs
    fingerprint.py  a hash of the records a document is made from: the cache key
    exports.py      cache or render (MEDIA_ROOT/exports/<fingerprint>.pdf)
    tasks.py        background rendering for big documents (django.tasks, db_worker)
    views.py        the export page, the three PDFs, status and download (urls.py)

See docs/decisions/pdf.md. Nothing here is imported by render.py's child process but
fetcher.py: this package's __init__ stays free of Django imports.
"""
