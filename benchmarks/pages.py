"""Benchmark: the time of each main page beside a bare response, at several data sizes.

    python benchmarks/pages.py answers-1000.sqlite3 answers-20000.sqlite3 [--rounds 40]

Every page is requested in this one process through Django's test Client (the whole
middleware stack, sessions and templates, no network), logged in with `force_login` as the
demo student or mentor. The data sets are interleaved: each round requests every page of every
data set once, switching the database between them, so the noise of a shared machine falls on
all of them alike. Times are CPU time by default (other processes on a shared machine stretch
wall time at random): this process's, where SQLite does its work, plus, when the database or
the cache is a server, the CPU time that the PostgreSQL backend serving this process and the
Redis server spent meanwhile (read from Linux's /proc/<pid>/schedstat, in nanoseconds), so
that a page's whole work is counted whichever process does it. `--clock wall` gives wall time
instead.

`/healthz` (no database, no template) is the bare response, measured as every page is: once
per round, in the same sequence, so that each request runs after a different one, as in a
server answering a mix of pages. (Repeated back to back, with the processor's caches holding
nothing else, it costs about half as much; so does any small request.) A page's time is the
median of its rounds after warm-up; its ratio to the bare response is the median of its
per-round ratios, each against the bare response of the same round and data set, so that a
machine whose speed drifts during the run (a shared one does, by tens of percent) moves both
sides of each ratio together. Query counts come from one more, untimed, request per
page. The progress page keeps its figures in the cache; "progress (cold)" is the same page
with them dropped before each request: the page computing them, as on the first view after a
catalogue edit or once the cache has lost the entry (after a submission, a review or a
rescore job a task computes them, and a new day changes only the streaks, which every view
writes).

Prints a table, and with --json writes
{dataset: {page: {"ms", "ratio", "queries", "status"}}}.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import setup_django  # noqa: E402

WARM_UP_ROUNDS = 3
ROUNDS = 40
BARE = "healthz"
# The progress page computing its figures, as on the first view after a change that no task
# computed them for (sessions and users stay cached).
COLD_PROGRESS = "progress (cold)"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    client: object  # django.test.Client, logged in as the page's user
    # The student whose cached progress figures are dropped (untimed) before each request.
    cold_for: int | None = None


def pages_of(database: str) -> list[Page]:
    """The main pages of the data set in `database`, as its demo student and mentor see them."""
    from django.contrib.auth.models import User
    from django.test import Client

    from practice.answers.models import Answer
    from practice.catalog.models import Prompt
    from practice.reviews import queries

    use(database)
    student = User.objects.get(username="student")
    mentor = User.objects.get(username="mentor")
    as_student, as_mentor = Client(), Client()
    as_student.force_login(student)
    as_mentor.force_login(mentor)
    latest = (
        Answer.objects.filter(student=student)
        .exclude(status=Answer.Status.DRAFT)
        .latest("submitted_at", "id")
    )
    prompt = Prompt.objects.published().order_by("topic__position", "position").first()
    from django.utils import timezone

    # The answer at the head of the queue: opening it claims it, as a mentor's first click does.
    awaiting = queries.queue_answers(now=timezone.now()).exclude(review__mentor=mentor).first()
    return [
        Page(BARE, "/healthz", as_student),
        Page("home", "/", as_student),
        Page("write", f"/prompts/{prompt.slug}/", as_student),
        Page("feedback", f"/answers/{latest.pk}/", as_student),
        Page("progress", "/progress/", as_student),
        Page(COLD_PROGRESS, "/progress/", as_student, cold_for=student.pk),
        Page("mentor queue", "/mentor/", as_mentor),
        Page("mentor review", f"/mentor/answers/{awaiting.pk}/", as_mentor),
        Page("mentor stats", "/mentor/stats/", as_mentor),
    ]


# One connection per data set, kept across rounds as a server keeps its connections
# (CONN_MAX_AGE): a database server's backend warms its caches and prepares the statements it
# runs often, and reconnecting for every turn would measure neither.
_CONNECTIONS: dict[str, object] = {}


def use(database: str) -> None:
    """Point the default connection, and the cache, at another data set."""
    from django.core.cache import cache
    from django.db import connections
    from django.db.utils import load_backend

    from practice.answers.published import forget_local_prompts

    # The data sets share this process's cache, whose entries (sessions, users) are keyed by
    # primary keys that mean different rows in each: give each data set keys of its own.
    cache.key_prefix = database
    # The process's own copies of prompts (a few seconds' worth, by slug) are the previous data
    # set's: the write page reads its prompt from the data set's cache entry instead, one cache
    # read more than a server answering from a single database pays.
    forget_local_prompts()
    wrapper = _CONNECTIONS.get(database)
    if wrapper is None:
        settings = copy.deepcopy(connections.settings["default"])
        settings["NAME"] = (
            database.rsplit("/", 1)[1] if database.startswith("postgres://") else database
        )
        backend = load_backend(settings["ENGINE"])
        wrapper = _CONNECTIONS[database] = backend.DatabaseWrapper(settings, "default")
    connections["default"] = wrapper
    # Connect now, untimed: the test Client keeps the connection across requests, so the
    # pages of one data set share it, and none of them pays for opening it.
    wrapper.ensure_connection()


def forget_cached_figures(page: Page) -> None:
    from practice.progress.figures import forget_figures

    if page.cold_for is not None:
        forget_figures(page.cold_for)


def _cpu_seconds_of(pid: int) -> float:
    """CPU time used so far by process `pid` (Linux: the first field of its schedstat, in ns);
    0 once it has exited."""
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split(None, 1)[0]) / 1e9
    except FileNotFoundError:
        return 0.0


class ServerCpu:
    """The CPU time that the servers doing this process's database and cache work spend: the
    PostgreSQL backend of the default connection and the Redis server, whichever are in use."""

    def __init__(self):
        from django.core.cache import caches
        from django.core.cache.backends.redis import RedisCache

        backend = caches["default"]
        self.redis_pid = (
            backend._cache.get_client().info("server")["process_id"]
            if isinstance(backend, RedisCache)
            else None
        )

    def mark(self) -> dict[int, float]:
        """The servers' processes now, with the CPU time each has used so far."""
        from django.db import connection

        pids = [self.redis_pid] if self.redis_pid else []
        if connection.vendor == "postgresql" and connection.connection is not None:
            pids.append(connection.connection.info.backend_pid)
        return {pid: _cpu_seconds_of(pid) for pid in pids}

    @staticmethod
    def spent_since(mark: dict[int, float]) -> float:
        """CPU seconds the processes of `mark` have used since (a backend replaced in between
        is not followed: the connection lives for the whole of a data set's turn)."""
        return sum(_cpu_seconds_of(pid) - seconds for pid, seconds in mark.items())


def timed_get(page: Page, clock, servers: ServerCpu | None = None) -> tuple[float, int]:
    """The page's time and status. The servers' CPU is read outside this process's timed
    span, so that reading it is not counted."""
    forget_cached_figures(page)
    mark = servers.mark() if servers else {}
    started = clock()
    response = page.client.get(page.url)
    elapsed = clock() - started
    if mark:
        elapsed += ServerCpu.spent_since(mark)
    return elapsed, response.status_code


def count_queries(page: Page) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    forget_cached_figures(page)
    with CaptureQueriesContext(connection) as captured:
        page.client.get(page.url)
    return len(captured.captured_queries)


def measure(
    databases: list[str], rounds: int, clock, servers: ServerCpu | None = None
) -> dict[str, dict[str, dict]]:
    sets = {database: pages_of(database) for database in databases}
    times: dict[str, dict[str, list[float]]] = {d: {p.name: [] for p in sets[d]} for d in sets}
    statuses: dict[str, dict[str, int]] = {d: {} for d in sets}
    gc.collect()
    for round_number in range(-WARM_UP_ROUNDS, rounds):
        for database, pages in sets.items():
            use(database)
            for page in pages:
                elapsed, status = timed_get(page, clock, servers)
                statuses[database][page.name] = status
                if round_number >= 0:
                    times[database][page.name].append(elapsed)
    results: dict[str, dict[str, dict]] = {}
    for database, pages in sets.items():
        use(database)
        bare = times[database][BARE]
        results[database] = {
            page.name: {
                "ms": statistics.median(times[database][page.name]) * 1000,
                "ratio": statistics.median(
                    page_time / bare_time
                    for page_time, bare_time in zip(times[database][page.name], bare, strict=True)
                ),
                "queries": count_queries(page),
                "status": statuses[database][page.name],
            }
            for page in pages
        }
    return results


def print_table(results: dict[str, dict[str, dict]]) -> None:
    databases = list(results)
    names = list(results[databases[0]])
    header = f"{'page':16}" + "".join(f"{Path(d).stem[-14:]:>28}" for d in databases)
    print(header)
    for name in names:
        cells = []
        for database in databases:
            row = results[database][name]
            cells.append(
                f"{row['ms']:8.2f} ms {row['ratio']:5.1f}x {row['queries']:3d} q {row['status']}"
            )
        print(f"{name:16}" + "".join(f"{cell:>28}" for cell in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", help="SQLite files or postgres:// URLs")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    args = parser.parse_args(argv)

    setup_django(args.databases[0])
    from django.core.cache import cache

    cache.clear()  # what an earlier run left may come from older code
    if args.clock == "cpu":
        clock, servers = time.process_time, ServerCpu()
    else:
        clock, servers = time.perf_counter, None
    results = measure(args.databases, args.rounds, clock, servers)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    failed = [
        (database, name)
        for database, pages in results.items()
        for name, row in pages.items()
        if row["status"] != 200
    ]
    for database, name in failed:
        print(f"error: {name} answered {results[database][name]['status']} on {database}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
