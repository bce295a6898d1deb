"""Every benchmark of the project in one run, with a summary of ratios against their targets.

    python benchmarks/run.py                  # `make bench`: 1,000 and 20,000 answers
    python benchmarks/run.py --large          # also 100,000 answers (or BENCH_LARGE=1)
    python benchmarks/run.py --postgres       # PostgreSQL (127.0.0.1:5432) with a Redis cache
    python benchmarks/run.py --data-dir DIR   # keep the SQLite data sets in DIR and reuse them
    python benchmarks/run.py --only pages     # some of: engine, pages, throughput, rescore

In order, side by side in this one run:

1. engine: `benchmarks/engine.py`, the scoring engine against textstat alone;
2. pages: builds the data sets with `seed_demo` (100 answers per student, so the demo student
   has about 100 answers in each) and runs `benchmarks/pages.py`: each main page against
   `/healthz`, in one process, at every size, with its query count;
3. throughput: `benchmarks/throughput.py` on the 20,000-answer data: the write page and
   autosave under gunicorn against `/healthz` under the same gunicorn;
4. rescore: `benchmarks/rescore.py`, rescoring throughput in answers per second of one core.

Targets (issue 9): at 20,000 answers each main page costs at most 25 times `/healthz`, and
at most 1.5 times what it costs at 1,000 answers, with the same number of queries; the write
page serves at least 30% of the requests per second of `/healthz`, without errors; rescoring
runs at 200 answers per second per core or better; the engine's own targets hold.
Exits with status 1 if any target fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, Check, build, dataset  # noqa: E402

HERE = ROOT / "benchmarks"
SIZES = (1_000, 20_000)
LARGE = 100_000
MAX_PAGE_RATIO = 25  # page time / bare response time, at 20,000 answers
MAX_GROWTH = 1.5  # page time at 20,000 answers / at 1,000
MIN_WRITE_SHARE = 0.30  # write page requests per second / /healthz requests per second
STEPS = ("engine", "pages", "throughput", "rescore")
PAGES = (
    "home",
    "write",
    "feedback",
    "progress",
    "progress (cold)",  # the page computing its figures, as after a catalogue edit
    "mentor queue",
    "mentor review",
    "mentor stats",
)


def section(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run_script(name: str, *args: str, env: dict | None = None) -> tuple[int, str]:
    """Run benchmarks/<name>.py, echoing its output; returns (exit status, output)."""
    process = subprocess.Popen(
        [PYTHON, "-W", "ignore", str(HERE / f"{name}.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        print("  " + line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


# ---------------------------------------------------------------------------------- steps


def engine_checks() -> list[Check]:
    status, output = run_script("engine")
    # Its table rows: text, words, score() ms, textstat ms, ratio.
    rows = re.findall(r"^.+?\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s*$", output, re.M)
    ratios = [float(ratio) for ratio in rows]
    growth = re.search(r"\(([\d.]+) times\)", output)
    note = "engine.py's own verdict" + ("" if ratios else "; its output was not understood")
    checks = [
        Check(
            "engine: score() / textstat alone (worst text)",
            max(ratios) if ratios else None,
            "<= 1.5",
            status == 0 if not ratios else max(ratios) <= 1.5,
            "x",
            note,
        )
    ]
    if growth:
        value = float(growth.group(1))
        checks.append(Check.at_most("engine: 20 x the text, time factor", value, 25, "x"))
    if status != 0 and all(check.ok for check in checks):
        checks.append(Check("engine.py exit status", status, "0", False))
    return checks


def page_checks(data: list, rounds: int) -> list[Check]:
    for item in data:
        seconds = build(item, reuse=True)
        if seconds:
            print(f"  built {item.label} answers ({item.students} students) in {seconds:.0f} s")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # CPU time, the database and cache servers' included (see pages.py).
        status, _ = run_script(
            "pages", *(d.database for d in data), *("--rounds", str(rounds), "--json", out.name)
        )
        results = json.loads(Path(out.name).read_text() or "{}")
    if not results:
        return [Check("pages", None, "ran", False, note=f"pages.py exited with {status}")]
    by_size = {d.answers: results[d.database] for d in data}
    small, large = by_size[SIZES[0]], by_size[SIZES[1]]
    checks = []
    for page in PAGES:
        checks.append(
            Check.at_most(
                f"{page}: time / healthz at {SIZES[1]:,}",
                large[page]["ratio"],
                MAX_PAGE_RATIO,
                "x",
                f"{large[page]['ms']:.1f} ms vs {large['healthz']['ms']:.2f} ms",
            )
        )
        checks.append(
            Check.at_most(
                f"{page}: time at {SIZES[1]:,} / at {SIZES[0]:,}",
                large[page]["ms"] / small[page]["ms"],
                MAX_GROWTH,
                "x",
            )
        )
        counts = [by_size[size][page]["queries"] for size in sorted(by_size)]
        checks.append(
            Check(
                f"{page}: queries at {', '.join(f'{s:,}' for s in sorted(by_size))}",
                counts[-1],
                "same at every size",
                len(set(counts)) == 1,
                note=" / ".join(map(str, counts)),
            )
        )
    if LARGE in by_size:
        huge = by_size[LARGE]
        for page in PAGES:
            checks.append(
                Check.info(
                    f"{page}: time / healthz at {LARGE:,}",
                    huge[page]["ratio"],
                    "x",
                    f"{huge[page]['ms']:.1f} ms",
                )
            )
    failed = [
        page for size in by_size.values() for page, row in size.items() if row["status"] != 200
    ]
    if failed:
        checks.append(Check("pages answered 200", None, "all", False, note=", ".join(failed)))
    return checks


def throughput_checks(database: str, duration: float) -> list[Check]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        status, _ = run_script(
            "throughput", database, "--duration", f"{duration:g}", "--json", out.name
        )
        results = json.loads(Path(out.name).read_text() or "{}")
    if not results:
        return [Check("throughput", None, "ran", False, note=f"throughput.py exited {status}")]
    runs = results["runs"]
    bare = runs["healthz"]["requests_per_second"]
    errors = sum(run["errors"] for run in runs.values())
    lost = results["autosaves_accepted"] - results["autosaves_stored"]
    cpu = {name: run.get("server_cpu_ms") for name, run in runs.items()}
    return [
        Check.at_least(
            "write page: req/s / healthz req/s (gunicorn)",
            results["write_share"],
            MIN_WRITE_SHARE,
            note=f"median of {results['rounds']} rounds; "
            f"{runs['write']['requests_per_second']:.0f} vs {bare:.0f} req/s",
        ),
        Check.info(
            "autosave: req/s / healthz req/s (gunicorn)",
            runs["autosave"]["requests_per_second"] / bare if bare else None,
            note=f"{runs['autosave']['requests_per_second']:.0f} req/s",
        ),
        Check.info(
            "write page: worker CPU per request / healthz's",
            cpu["write"] / cpu["healthz"] if cpu["write"] and cpu["healthz"] else None,
            "x",
            f"{cpu['write'] or 0:.2f} ms vs {cpu['healthz'] or 0:.2f} ms",
        ),
        Check(
            "throughput: errors and lost autosaves",
            errors + max(lost, 0),
            "0",
            not errors and lost <= 0,
        ),
    ]


def rescore_checks() -> list[Check]:
    status, output = run_script("rescore")
    rate = re.search(r"batched rescore\s+([\d.]+) answers per CPU second", output)
    value = float(rate.group(1)) if rate else None
    check = Check.at_least("rescore: answers per second per core", value, 200, "/s")
    if value is None:
        check = Check("rescore: answers per second per core", None, ">= 200/s", status == 0)
    return [check]


# -------------------------------------------------------------------------------- summary


def print_summary(checks: list[Check], started: float) -> None:
    section("Summary")
    width = max(len(check.name) for check in checks)
    print(f"  {'measure':{width}}  {'measured':>10}  {'target':>18}  verdict")
    for check in checks:
        value = "—" if check.value is None else f"{check.value:.2f}{check.unit}"
        note = f"  ({check.note})" if check.note else ""
        print(f"  {check.name:{width}}  {value:>10}  {check.target:>18}  {check.verdict}{note}")
    failed = [check for check in checks if check.ok is False]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\n  {len(checks) - len(failed)} of {len(checks)} lines within target or informative; "
        f"{len(failed)} failed. {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores, "
        f"load average now {load} (other work on the machine inflates every figure)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--large",
        action="store_true",
        default=os.environ.get("BENCH_LARGE", "") not in ("", "0"),
        help=f"also measure the pages at {LARGE:,} answers (env BENCH_LARGE=1)",
    )
    parser.add_argument("--postgres", action="store_true", help="data sets in PostgreSQL")
    parser.add_argument("--data-dir", type=Path, help="keep and reuse the SQLite data sets here")
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds per page")
    parser.add_argument("--duration", type=float, default=15, help="seconds per endpoint under wrk")
    options = parser.parse_args(argv)

    started = time.perf_counter()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Benchmarks on {os.cpu_count()} cores, load average {load} at the start.")
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        directory = options.data_dir or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        sizes = (*SIZES, LARGE) if options.large else SIZES
        data = [dataset(size, directory, postgres=options.postgres) for size in sizes]
        if "engine" in options.only:
            section("Engine against textstat (benchmarks/engine.py)")
            checks += engine_checks()
        if "pages" in options.only:
            section(f"Pages against /healthz at {', '.join(d.label for d in data)} answers")
            checks += page_checks(data, options.rounds)
        if "throughput" in options.only:
            section("Throughput under gunicorn against /healthz (benchmarks/throughput.py)")
            middle = next(d for d in data if d.answers == SIZES[1])
            build(middle, reuse=True)
            checks += throughput_checks(middle.database, options.duration)
        if "rescore" in options.only:
            section("Rescoring (benchmarks/rescore.py)")
            checks += rescore_checks()
    print_summary(checks, started)
    return 1 if any(check.ok is False for check in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
