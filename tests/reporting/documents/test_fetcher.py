"""The render's URL fetcher: our static files and data: URLs, nothing else."""

from __future__ import annotations

import socket

import pytest

from reporting.documents.fetcher import RefusedURL, StaticFilesFetcher


@pytest.fixture
def static(tmp_path):
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "pdf.css").write_text("body { color: black }")
    (root / "css" / "notes.txt").write_text("not a stylesheet")
    (tmp_path / "secret.css").write_text("secret")
    (root / "css" / "escape.css").symlink_to(tmp_path / "secret.css")
    return root


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("The fetcher tried the network.")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class TestStaticFilesFetcher:
    def test_serves_a_static_file(self, static):
        fetcher = StaticFilesFetcher([static])
        response = fetcher((static / "css" / "pdf.css").as_uri())
        assert response.read() == b"body { color: black }"
        assert response.content_type == "text/css"
        assert fetcher.fetched == [(static / "css" / "pdf.css").as_uri()]

    def test_serves_data_urls(self, static):
        fetcher = StaticFilesFetcher([static])
        assert fetcher("data:text/plain,hello").read() == b"hello"

    @pytest.mark.parametrize(
        "url",
        [
            "http://evil.example/x.png",
            "https://evil.example/x.css",
            "ftp://evil.example/x",
            "HTTP://EVIL.EXAMPLE/",
            "gopher://evil.example/",
        ],
    )
    def test_refuses_the_network(self, static, no_network, url):
        fetcher = StaticFilesFetcher([static])
        with pytest.raises(RefusedURL):
            fetcher(url)
        assert fetcher.refused == [url]

    @pytest.mark.parametrize(
        "path",
        ["/etc/passwd", "/etc/hostname.css", "{root}/../secret.css", "{root}/css/escape.css"],
    )
    def test_refuses_files_outside_the_static_directories(self, static, path):
        fetcher = StaticFilesFetcher([static])
        url = "file://" + path.format(root=static)
        with pytest.raises(RefusedURL):
            fetcher(url)
        assert fetcher.refused == [url]

    def test_refuses_other_hosts_and_other_kinds_of_file(self, static):
        fetcher = StaticFilesFetcher([static])
        with pytest.raises(RefusedURL):
            fetcher(f"file://server{static}/css/pdf.css")
        with pytest.raises(RefusedURL):
            fetcher((static / "css" / "notes.txt").as_uri())
        with pytest.raises(RefusedURL):
            fetcher((static / "css" / "missing.css").as_uri())

    def test_no_protocol_handler_would_open_anything_else(self, static):
        # Even the base class's fetch refuses all but data: URLs.
        fetcher = StaticFilesFetcher([static])
        with pytest.raises(ValueError, match="disallowed protocol"):
            super(StaticFilesFetcher, fetcher).fetch("http://evil.example/")
