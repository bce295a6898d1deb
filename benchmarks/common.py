"""What the benchmarks share: the environment of a production-like server, the data sets at
scale, free ports and the targets the summary is checked against.

Every benchmark runs the application with production settings (DEBUG=0, the cached template
loader, no query logging) on plain HTTP over loopback, against data built by `seed_demo`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET_KEY = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
# The cache of the PostgreSQL set-up, as in production (see the README): a Redis database of
# its own, since the benchmark empties it.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
# A coaching institute's students write about a hundred answers each over a few months, so
# the data sets grow by adding students: the demo student has about a hundred answers in each.
ANSWERS_PER_STUDENT = 100


def production_env(database: str | None = None) -> dict[str, str]:
    """The environment of a production server on plain-HTTP loopback, for `database`.

    `database` is a SQLite file path, a postgres:// URL, or None for the default SQLite file.
    With PostgreSQL the cache is Redis (`BENCH_REDIS_URL`), as a production deployment on
    PostgreSQL has it; with SQLite it is the embedded file cache.
    """
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_MANIFEST="0",
        TASKS_IMMEDIATE="1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database and database.startswith("postgres://"):
        env["DATABASE_URL"] = database
        env["REDIS_URL"] = BENCH_REDIS_URL
        # The benchmarks and the load test each use databases of their own, whose users and
        # prompts have the same ids: without a prefix of its own, one run would read the
        # users another cached (and sign every student out on a hash mismatch).
        env["CACHE_KEY_PREFIX"] = database.rsplit("/", 1)[1]
    elif database:
        env["SQLITE_PATH"] = database
    return env


@dataclass(frozen=True)
class Dataset:
    """Demo data at one size: `answers` scored answers of `students` students."""

    answers: int
    database: str  # a SQLite file path or a postgres:// URL

    @property
    def students(self) -> int:
        return max(1, self.answers // ANSWERS_PER_STUDENT)

    @property
    def label(self) -> str:
        return f"{self.answers:,}"

    @property
    def is_postgres(self) -> bool:
        return self.database.startswith("postgres://")


def dataset(answers: int, directory: Path, *, postgres: bool = False) -> Dataset:
    if postgres:
        return Dataset(answers, f"{POSTGRES_URL}/practice_bench_{answers}")
    return Dataset(answers, str(directory / f"answers-{answers}.sqlite3"))


def build(data: Dataset, *, reuse: bool = False) -> float:
    """Create the database of `data` from scratch with `seed_demo`; returns seconds taken.

    With `reuse`, an existing SQLite file is kept (its size is in its name), only migrated.
    SQLite files are left without ANALYZE statistics, as a production SQLite database would be.
    """

    manage = [PYTHON, str(ROOT / "manage.py")]
    env = production_env(data.database) | {"DEBUG": "1"}  # seed_demo is development only
    if reuse and not data.is_postgres and Path(data.database).exists():
        # Kept from an earlier run, perhaps of older code: bring its schema up to date.
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        return 0.0
    started = time.perf_counter()
    if data.is_postgres:
        name = data.database.rsplit("/", 1)[1]
        for command in (["dropdb", "--if-exists", name], ["createdb", name]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(data.database + suffix).unlink(missing_ok=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--students", str(data.students), "--answers", str(data.answers)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    if data.is_postgres:
        # A production database has been vacuumed and analysed by autovacuum long since; a
        # freshly loaded one has neither statistics nor a visibility map (no index-only scans).
        name = data.database.rsplit("/", 1)[1]
        command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "VACUUM ANALYZE"]
        subprocess.run(command, check=True)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django(database: str) -> None:
    """Configure Django in this process for `database`, with production settings."""
    os.environ.update(production_env(database))
    if not database.startswith("postgres://"):
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "practice.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass(frozen=True)
class Check:
    """One line of the summary: a measured figure beside its target."""

    name: str
    value: float | None
    target: str  # e.g. "<= 25", ">= 0.30"; "" for a figure reported without a target
    ok: bool | None  # None: no target, or not measured
    unit: str = ""
    note: str = ""

    @classmethod
    def at_most(cls, name: str, value: float | None, limit: float, unit: str = "", note=""):
        ok = None if value is None else value <= limit
        return cls(name, value, f"<= {limit:g}{unit}", ok, unit, note)

    @classmethod
    def at_least(cls, name: str, value: float | None, floor: float, unit: str = "", note=""):
        ok = None if value is None else value >= floor
        return cls(name, value, f">= {floor:g}{unit}", ok, unit, note)

    @classmethod
    def info(cls, name: str, value: float | None, unit: str = "", note: str = ""):
        return cls(name, value, "", None, unit, note)

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        if self.ok is None:
            return "NOT RUN"
        return "ok" if self.ok else "FAIL"
