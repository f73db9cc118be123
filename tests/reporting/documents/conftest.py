"""Helpers for the PDF tests: rendered files go to a temporary MEDIA_ROOT, and PDFs are read
back with pypdf (text, metadata, the tag tree)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def reader(data) -> PdfReader:
    if isinstance(data, bytes | bytearray):
        return PdfReader(io.BytesIO(data))
    return PdfReader(str(data))


def page_texts(data) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def squash(text: str) -> str:
    """Text with every run of whitespace made one space: line breaks fall anywhere in a PDF."""
    return " ".join(text.split())


def all_text(data) -> str:
    return squash(" ".join(page_texts(data)))


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def struct_elements(data) -> list[dict]:
    """Every element of the PDF's structure tree (tag, alt text), depth first."""
    root = reader(data).trailer["/Root"]
    found = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if node.get("/S"):
            found.append({"tag": str(node["/S"]), "alt": node.get("/Alt")})
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(root["/StructTreeRoot"])
    return found


def lines(text: str) -> list[str]:
    return [squash(line) for line in text.splitlines() if line.strip()]


CONTENTS_LINE = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}(?P<page>\d+)$")
