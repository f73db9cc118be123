"""Hostile spreadsheets, built for real: what the security test uploaded, and a few more.

Each builder returns the bytes of a file an attacker could upload. They are built from a real
workbook (openpyxl's) with one part replaced, so everything but the attack is valid.
build() keeps them for the session: the two zip bombs take a second or two to deflate.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED_STRINGS_OVERRIDE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
HEADER = ["kpi code", "period", "value"]
MB = 1024 * 1024


def base_workbook(header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_parts(content: bytes, parts: dict[str, Iterable[bytes]]) -> bytes:
    """The workbook with the named members replaced (or added), each written from chunks."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, chunks in parts.items():
            with target.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()


def _sheet(rows: Iterable[bytes], *, dimension: bytes = b"") -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet ' + MAIN + b">" + dimension
    yield b"<sheetData>"
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>kpi code</t></is></c>'
    yield b'<c r="B1" t="inlineStr"><is><t>period</t></is></c>'
    yield b'<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
    yield from rows
    yield b"</sheetData></worksheet>"


def _repeat(chunk: bytes, total: int) -> Iterator[bytes]:
    block = chunk * (MB // len(chunk))
    for _ in range(total // len(block)):
        yield block


def sheet_bomb(unpacked: int = 300 * MB) -> bytes:
    """A 0.7 MB workbook whose sheet unpacks to `unpacked` bytes (300 MB) of rows: the security
    test's file that held a worker at 800 MB for 30 s."""
    row = b"<row><c><v>1</v></c></row>"
    return replace_parts(
        base_workbook(), {"xl/worksheets/sheet1.xml": _sheet(_repeat(row, unpacked))}
    )


def shared_strings_bomb(unpacked: int = 120 * MB) -> bytes:
    """A 0.3 MB workbook whose shared strings (which openpyxl reads whole, before any row)
    unpack to `unpacked` bytes (120 MB): seven million one-letter strings."""
    content = base_workbook()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml")
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sst ' + MAIN + b">",
        *_repeat(b"<si><t>a</t></si>", unpacked),
        b"</sst>",
    )
    return replace_parts(
        content,
        {
            "[Content_Types].xml": [
                types.replace(b"</Types>", SHARED_STRINGS_OVERRIDE + b"</Types>")
            ],
            "xl/sharedStrings.xml": strings,
        },
    )


def large_sheet(unpacked: int = 24 * MB) -> bytes:
    """Rows that compress like real ones (about 13 to 1), so only the size limit catches them:
    a 2 MB upload whose sheet unpacks to 24 MB."""

    def rows() -> Iterator[bytes]:
        written, n = 0, 2
        while written < unpacked:
            row = b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>' % (
                n,
                n,
                n * 7919 % 100_003,
                n,
                n * 104_729 % 1_000_003,
            )
            written += len(row)
            n += 1
            yield row

    return replace_parts(base_workbook(), {"xl/worksheets/sheet1.xml": _sheet(rows())})


def many_shared_strings(unpacked: int = 6 * MB) -> bytes:
    """Distinct shared strings (compressing about 5 to 1), so only the shared-strings limit
    catches them: openpyxl would spend seconds reading them before the first row."""
    content = base_workbook()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml")
    count = unpacked // len(b"<si><t>1000000</t></si>")
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sst ' + MAIN + b">",
        *(b"<si><t>%d</t></si>" % (1_000_000 + n) for n in range(count)),
        b"</sst>",
    )
    return replace_parts(
        content,
        {
            "[Content_Types].xml": [
                types.replace(b"</Types>", SHARED_STRINGS_OVERRIDE + b"</Types>")
            ],
            "xl/sharedStrings.xml": strings,
        },
    )


def billion_laughs(part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Entity expansion: ten levels of ten references, 10^9 "lol"s from a kilobyte of XML."""
    entities = [b'<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        refs = f"&lol{level - 1};".encode() * 10
        entities.append(b'<!ENTITY lol%d "%s">' % (level, refs))
    doctype = b"<!DOCTYPE worksheet [" + b"".join(entities) + b"]>"
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    sheet = b"".join(_sheet([row]))
    sheet = sheet.replace(b"<worksheet ", doctype + b"<worksheet ", 1)
    return replace_parts(base_workbook(), {part: [sheet]})


def external_entity() -> bytes:
    """An external entity: a sheet cell that would read the server's /etc/passwd."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    sheet = b"".join(_sheet([row])).replace(b"<worksheet ", doctype + b"<worksheet ", 1)
    return replace_parts(base_workbook(), {"xl/worksheets/sheet1.xml": [sheet]})


def malformed_rows() -> bytes:
    """Good rows, then broken markup deep in the sheet data: openpyxl meets it while streaming
    rows (a ParseError that used to escape as a 500), not when it opens the workbook."""
    good = (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>L2</t></is></c></row>' % (n, n)
        for n in range(2, 200)
    )
    broken = [b'<row r="200"><c r="A200"><v>1</v></c><row></sheetData>']
    sheet = b"".join(_sheet([*good, *broken])).replace(b"</sheetData></worksheet>", b"", 1)
    dimension = b'<dimension ref="A1:C200"/>'
    sheet = sheet.replace(b"<sheetData>", dimension + b"<sheetData>", 1)
    return replace_parts(base_workbook(), {"xl/worksheets/sheet1.xml": [sheet]})


def dimension_bomb() -> bytes:
    """A 2 KB workbook declaring the sheet as A1:XFD1048576 with one cell in its last row:
    iter_rows would pad a million rows to 16,384 cells each."""
    rows = [b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']
    sheet = _sheet(rows, dimension=b'<dimension ref="A1:XFD1048576"/>')
    return replace_parts(base_workbook(), {"xl/worksheets/sheet1.xml": [b"".join(sheet)]})


BOMBS = {
    "sheet": sheet_bomb,
    "shared_strings": shared_strings_bomb,
    "large_sheet": large_sheet,
    "many_shared_strings": many_shared_strings,
    "billion_laughs": billion_laughs,
    "billion_laughs_in_styles": lambda: billion_laughs("xl/styles.xml"),
    "external_entity": external_entity,
    "malformed_rows": malformed_rows,
    "dimension": dimension_bomb,
}


@functools.cache
def build(name: str) -> bytes:
    """The bomb's bytes, built once a test session."""
    return BOMBS[name]()


def measured(call):
    """call() made twice: its result and seconds, timed alone, then the peak megabytes Python
    allocated during it (tracemalloc slows allocation several times, so it is not timed; the
    pytest process's own peak resident set says nothing about one request)."""
    import time
    import tracemalloc

    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak / MB
