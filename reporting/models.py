from django.db import models


class ExportRender(models.Model):
    """The ledger of PDF renders, one row per document fingerprint: whoever creates (or takes
    over) the row renders, everyone else waits for the file. This is what keeps two web servers
    or two `db_worker` processes from rendering the same export twice (reporting.documents.exports).
    The file itself lives in the "exports" storage; this row only says who is on it."""

    fingerprint = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=120, help_text="host:pid of the renderer")
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # Raised by every render of this fingerprint (a file removed, a renderer that died): the
    # tests read it to prove that concurrent asks rendered once.
    renders = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        state = "finished" if self.finished_at else "rendering"
        return f"PDF {self.fingerprint[:12]} ({state})"
