"""The local "exports" storage: files under MEDIA_ROOT, replaced whole.

Django's FileSystemStorage writes straight into the final file, so a reader on another process
could open a PDF while it is still being written, and it renames rather than replaces a file
that exists. Rendered PDFs are named by their fingerprint and must be replaced in place,
atomically: written under a temporary name in the same directory, then renamed over the old.
(S3-compatible storage needs none of this: an object appears whole when its PUT completes.)
"""

from __future__ import annotations

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            os.replace(temporary, full_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return str(name).replace("\\", "/")
