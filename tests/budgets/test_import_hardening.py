"""The budget import page against hostile and malformed files: a clear message on the page
(never a 500), nothing saved, and what the database would refuse (lengths, control characters)
found per cell and named by column. The bombs come from tests/planning/bombs.py."""

from __future__ import annotations

import pytest

from budgets.models import ExpenditureLine
from tests.budgets.test_imports import LINES_HEADER, csv_file, post, snapshot, url, xlsx_file
from tests.planning import bombs

REFUSALS = {
    "sheet": "more than 100 times its size",
    "shared_strings": "more than 100 times its size",
    "billion_laughs": "declares entities",
    "external_entity": "declares entities",
    "malformed_rows": "Its XML is damaged",
    "dimension": "Row 1048576 has something in column XFD",
}
MANAGER = ExpenditureLine._meta.get_field("manager").max_length
DESCRIPTION = ExpenditureLine._meta.get_field("description").max_length


@pytest.fixture
def signed_in(client, ssp_plan, ssp_planner):
    client.force_login(ssp_planner)
    return ssp_plan


class TestBombsThroughThePage:
    @pytest.mark.parametrize("kind", ["lines", "actuals"])
    @pytest.mark.parametrize("bomb", sorted(REFUSALS))
    def test_refused_on_the_page_within_two_seconds_and_200_mb(self, client, signed_in, kind, bomb):
        before = snapshot()
        content = bombs.build(bomb)
        client.get(
            url(signed_in)
        )  # templates compiled and caches warm: the upload is what is measured
        response, seconds, megabytes = bombs.measured(
            lambda: post(client, signed_in, kind, xlsx_upload(content))
        )
        print(f"{bomb} through the page: {seconds:.3f} s, {megabytes:.1f} MB traced")
        assert response.status_code == 400
        assert REFUSALS[bomb] in response.content.decode()
        assert snapshot() == before
        assert seconds < 2
        assert megabytes < 200


def xlsx_upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("budget.xlsx", content)


def expenditure(manager: str, description: str, amount="100") -> str:
    return f'expenditure,,,"{manager}","{description}",{amount}\n'


class TestWhatTheDatabaseRefuses:
    """A manager over 120 characters or a description over 200 was a DataError (a 500) on
    PostgreSQL, and silently stored on SQLite; a NUL byte a ValueError. Now each is a row error
    naming the column, and nothing of the file is saved."""

    @pytest.mark.parametrize("file", [csv_file, xlsx_file])
    def test_text_longer_than_the_database_holds(self, client, signed_in, file):
        before = snapshot()
        rows = [
            ("Ann Smith", "Fits exactly " + "x" * (DESCRIPTION - 13)),  # good on its own
            ("M" * (MANAGER + 1), "Too long a manager"),
            ("Ann Smith", "D" * (DESCRIPTION + 1)),
        ]
        if file is csv_file:
            upload = csv_file(LINES_HEADER + "".join(expenditure(m, d) for m, d in rows))
        else:
            header = LINES_HEADER.strip().split(",")
            upload = xlsx_file([header, *[["expenditure", "", "", m, d, 100] for m, d in rows]])
        response = post(client, signed_in, "lines", upload)
        assert response.status_code == 400
        page = response.content.decode()
        assert f"Manager is {MANAGER + 1} characters long: at most {MANAGER} fit" in page
        assert (
            f"Description is {DESCRIPTION + 1} characters long: at most {DESCRIPTION} fit" in page
        )
        assert snapshot() == before

    @pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
    def test_control_characters_are_row_errors(self, client, signed_in, character):
        before = snapshot()
        upload = csv_file(
            LINES_HEADER
            + expenditure("Ann Smith", "Fine")
            + expenditure("Ann Smith", f"Bad{character}line")
        )
        response = post(client, signed_in, "lines", upload)
        assert response.status_code == 400
        code = f"U+{ord(character):04X}"
        assert f"Description contains a control character ({code})" in response.content.decode()
        assert snapshot() == before

    def test_a_decimal_comma_in_an_amount(self, client, signed_in):
        before = snapshot()
        response = post(
            client,
            signed_in,
            "lines",
            csv_file(LINES_HEADER + expenditure("Ann", "Line", '"190,1"')),
        )
        assert response.status_code == 400
        assert "decimal commas are not accepted, write 190.1" in response.content.decode()
        assert snapshot() == before
