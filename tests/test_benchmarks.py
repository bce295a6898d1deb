"""`make bench` keeps working: the page benchmark runs end to end on a small data set.

The figures themselves are not asserted (timing belongs to `make bench`, not to tests); what a
user of the benchmark relies on is: every main page answers 200 on data built by `seed_demo`,
each has a time, a ratio to `/healthz` and a query count, and the query counts are those the
flat-page tests expect of a signed-in user.
"""

import json
import subprocess
import sys

import pytest

from benchmarks.common import PYTHON, ROOT, Dataset, build
from benchmarks.pages import BARE, COLD_PROGRESS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="runs the benchmark scripts")


def test_the_page_benchmark_measures_every_main_page(tmp_path):
    data = Dataset(200, str(tmp_path / "answers-200.sqlite3"))
    build(data)
    report = tmp_path / "pages.json"

    finished = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "pages.py"), data.database, "--rounds", "2"]
        + ["--json", str(report)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stdout + finished.stderr
    pages = json.loads(report.read_text())[data.database]
    assert set(pages) >= {BARE, "home", "write", "feedback", "progress", COLD_PROGRESS}
    assert {"mentor queue", "mentor review", "mentor stats"} <= set(pages)
    for name, row in pages.items():
        assert row["status"] == 200, name
        assert row["ms"] > 0 and row["ratio"] > 0, name
    assert pages[BARE]["queries"] == 0
    # The cached progress page reads one stamp; its first view after a change computes.
    assert pages["progress"]["queries"] == 1
    assert pages[COLD_PROGRESS]["queries"] > pages["progress"]["queries"]
    # The table a user reads names every page.
    for name in pages:
        assert name in finished.stdout
