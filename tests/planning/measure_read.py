"""Run as a script: read one file through the import pipeline's reader and report, as JSON,
how it ended, the seconds it took and how far it raised the process's peak resident memory.

A separate process, so that the peak resident set (VmHWM: C allocations by zlib and the XML
parser included, which tracemalloc does not see) belongs to this one read alone. The peak is
reset just before the read (/proc/self/clear_refs), so the figure is the read's own; if it
cannot be reset, the peak since start-up is taken, which can only overstate. Not ru_maxrss:
Linux carries it over from the forking parent (pytest) across exec. No tracemalloc either: it
slows allocation several times over, and the reader's own time budget would fire. An address-
space cap keeps a reader without the limits from taking the machine down: it fails instead.
"""

import contextlib
import json
import resource
import sys
import time
from pathlib import Path

path, name = sys.argv[1], sys.argv[2]
content = Path(path).read_bytes()

from openpyxl import load_workbook  # noqa: E402,F401 - loaded before the baseline

from planning.spreadsheets import files  # noqa: E402


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


cap = 3 * 1024**3
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
with contextlib.suppress(OSError):
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) back to the current RSS
before = status_kb("VmRSS")
start = time.perf_counter()
try:
    rows = files.read_cells(name, content)
    outcome, message = "read", f"{len(rows)} rows"
except files.ImportFileError as error:
    outcome, message = "refused", str(error)
except BaseException as error:  # what reached a 500 before
    outcome, message = "crashed", f"{type(error).__name__}: {error}"[:500]
seconds = time.perf_counter() - start
after = status_kb("VmHWM")
print(
    json.dumps(
        {
            "outcome": outcome,
            "message": message,
            "seconds": seconds,
            "extra_mb": (after - before) / 1024,
        }
    )
)
