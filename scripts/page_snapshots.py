"""Render the KPI and scorecard pages of every plan into a directory, to compare two versions of
the code byte for byte (speed work must not change a byte of what users see).

    DATABASE_URL=postgres://…/waymark .venv/bin/python scripts/page_snapshots.py before/
    … change the code …
    DATABASE_URL=postgres://…/waymark .venv/bin/python scripts/page_snapshots.py after/
    diff -r before/ after/

For each plan, as its first planner, contributor and viewer: the KPI list, the scorecard (its
default quarter and every quarter it offers) and every KPI page (SNAPSHOT_KPIS=n: the first n);
and the board pack's HTML for every quarter. What changes from one request to the next (CSRF
tokens, nonces, the session timeout's seconds left) is masked. Reads only; run it on the demo
(`make demo`) and on a benchmark database (benchmarks/bench_scorecard.build()).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

MASKS = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"'), rb'\1X"'),
    (re.compile(rb'"X-CSRFToken": "[^"]*"'), rb'"X-CSRFToken": "X"'),
    (re.compile(rb'data-seconds-left="\d+"'), rb'data-seconds-left="X"'),
    (re.compile(rb'nonce="[^"]*"'), rb'nonce="X"'),
]


def masked(body: bytes) -> bytes:
    for pattern, replacement in MASKS:
        body = pattern.sub(replacement, body)
    return body


def main(out: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.test import Client

    from kpis.models import KPI
    from planning.models import Membership, Plan
    from reporting.documents.assemble import html_for
    from reporting.documents.spec import DocumentSpec, Kind
    from reporting.scorecard import scorecard_quarters

    out.mkdir(parents=True, exist_ok=True)
    limit = int(os.environ.get("SNAPSHOT_KPIS", "100000"))
    users = {}
    for m in Membership.objects.filter(is_active=True).select_related("user").order_by("pk"):
        users.setdefault((m.organisation_id, m.role), m.user)
    written = 0
    for plan in Plan.objects.order_by("pk"):
        quarters = scorecard_quarters(plan)
        pages = {
            "kpi-list": f"/plans/{plan.slug}/kpis/",
            "scorecard": f"/plans/{plan.slug}/scorecard/",
            **{
                f"scorecard-{q.key}": f"/plans/{plan.slug}/scorecard/?quarter={q.key}"
                for q in quarters
            },
            **{
                f"kpi-{pk}": f"/kpis/{pk}/"
                for pk in KPI.objects.filter(plan=plan)
                .order_by("pk")
                .values_list("pk", flat=True)[:limit]
            },
        }
        for role in ("planner", "contributor", "viewer"):
            user = users.get((plan.organisation_id, role))
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            for name, url in pages.items():
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} as {user}: {response.status_code}")
                (out / f"{plan.slug}.{role}.{name}.html").write_bytes(masked(response.content))
                written += 1
        for q in quarters:
            html = html_for(DocumentSpec(kind=Kind.SCORECARD, plan_id=plan.pk, quarter=q.key))
            (out / f"{plan.slug}.board-pack-{q.key}.html").write_text(html)
            written += 1
    print(f"{written} pages written to {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(Path(sys.argv[1])))
