"""The scorecard on a phone and on a desktop, in Chromium: a board member sees each KPI's name,
latest value, RAG and both SPC icons without scrolling sideways, and no KPI table is wider
than the page's 960px column."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORECARD = f"/plans/{PLAN_SLUG}/scorecard/"

# For each KPI row: the boxes of what must be on screen, and whether its region scrolls.
ROWS = """() => Array.from(document.querySelectorAll(".app-scorecard-table tbody tr"), (row) => {
  const cells = row.querySelectorAll("td");
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height};
  };
  const region = row.closest(".nhsuk-scroll__content");
  return {
    kpi: row.querySelector("a").innerText,
    boxes: {
      name: box(row.querySelector("a")),
      latest: box(cells[1].lastElementChild),
      rag: box(cells[3].querySelector(".nhsuk-tag")),
      variation: box(cells[5].lastElementChild),
      assurance: box(cells[6].lastElementChild),
    },
    regionScrolls: region.scrollWidth > region.clientWidth,
  };
})"""

HEADERS = """() => Array.from(
  document.querySelectorAll(".app-scorecard-table th"),
  (th) => ({text: th.innerText, clipped: th.scrollWidth > th.clientWidth}),
)"""


@pytest.fixture
def board_page(transactional_db, live_server, page):
    load_demo()
    sign_in(page, "ssp-board", DEMO_PASSWORD)
    return page


class TestScorecardLayout:
    def test_a_phone_sees_name_value_rag_and_both_icons(self, board_page):
        page = board_page
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(SCORECARD)
        rows = page.evaluate(ROWS)
        assert rows, "the demo scorecard has KPIs"
        for row in rows:
            assert not row["regionScrolls"], row["kpi"]
            for what, box in row["boxes"].items():
                assert box["width"] > 0 and box["height"] > 0, (row["kpi"], what)
                assert box["left"] >= 0 and box["right"] <= 390, (row["kpi"], what, box)
        assert_accessible(page)

    def test_a_desktop_fits_every_column_in_the_page(self, board_page):
        page = board_page
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(SCORECARD)
        rows = page.evaluate(ROWS)
        assert rows
        assert not [row["kpi"] for row in rows if row["regionScrolls"]]
        headers = page.evaluate(HEADERS)
        assert "Assurance" in [h["text"] for h in headers]
        assert not [h["text"] for h in headers if h["clipped"]]
        assert_accessible(page)
