"""The media half of a restore, which needs no PostgreSQL: an archive cannot write outside
MEDIA_ROOT (the database half is tests/planning/test_backup_restore.py)."""

import io
import tarfile

import pytest

from planning.backup import BackupError, extract_media


def archive(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            if kind == "link":
                info.type, info.linkname = tarfile.SYMTYPE, data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


class TestExtractMedia:
    def test_files_come_back_under_media_root(self, tmp_path):
        media = tmp_path / "media"
        extract_media(archive(tmp_path / "m.tar.gz", [("./exports/a.pdf", b"%PDF", "file")]), media)
        assert (media / "exports" / "a.pdf").read_bytes() == b"%PDF"

    @pytest.mark.parametrize(
        "members",
        [
            [("../outside.txt", b"x", "file")],
            [("exports/link", "/etc", "link"), ("exports/link/passwd", b"x", "file")],
        ],
        ids=["dot-dot", "symlink-out"],
    )
    def test_nothing_is_written_outside_media_root(self, tmp_path, members):
        media = tmp_path / "deep" / "media"
        with pytest.raises(BackupError, match="cannot be restored"):
            extract_media(archive(tmp_path / "m.tar.gz", members), media)
        assert not (tmp_path / "deep" / "outside.txt").exists()
        assert not (tmp_path / "outside.txt").exists()

    def test_an_absolute_name_lands_inside_media_root(self, tmp_path):
        target = tmp_path / "absolute.txt"
        media = tmp_path / "media"
        extract_media(archive(tmp_path / "m.tar.gz", [(str(target), b"x", "file")]), media)
        assert not target.exists()
        assert (media / str(target).lstrip("/")).read_bytes() == b"x"
