"""Benchmark: requests per second of the write page and of autosave under gunicorn, beside
`/healthz` served by the same gunicorn with the same settings.

    python benchmarks/throughput.py answers-20000.sqlite3 [--duration 15] [--connections 4]

Works on a copy of the given SQLite database (or a copy of a PostgreSQL database made with
CREATE DATABASE ... TEMPLATE), so the data set stays as it was. It signs in every student of
the data set (sessions written straight to the session store), opens a draft for each of them
on every prompt, starts gunicorn on a free loopback port with production settings (DEBUG=0,
plain HTTP) and drives it with wrk, one thread and a few connections, for a bounded time per
endpoint:

- `/healthz`: no session, no database, no template: what the stack alone can serve;
- the write page, GET `/prompts/<slug>/`, each request as the next student and prompt in turn;
- autosave, POST `/prompts/<slug>/draft` as htmx sends it (CSRF cookie and header), each
  request saving the next student's draft of the next prompt at its current version, so every
  save is accepted: a refused (409) or failed save counts as an error.

`/healthz` and the write page are timed in alternating rounds (`ROUNDS`, sharing the duration)
after an untimed warm-up, and the write page's share of `/healthz` is the median of the
rounds' shares: a shared machine's speed drifts over a run, and this way the drift falls on
both. Autosave runs once, last, since it changes the drafts.

Afterwards it checks the database: the autosaves that answered 200 must all be stored.
The machine's cores are shared by wrk and gunicorn (and anything else running), so the
figures are lower than on a dedicated server; the ratios compare like with like. Where the
cores' time went is printed per request: gunicorn's workers, PostgreSQL's and Redis's
processes (all of this machine's, so other work on them is counted too) and wrk itself.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, free_port, production_env  # noqa: E402

ROUNDS = 5  # of `/healthz` and the write page, alternating
WRITE_WARM_UP = 8  # seconds: enough for every signed-in student's write page at least once

CSRF_TOKEN = "benchmarkcsrftoken0123456789abcd"  # 32 characters: an unmasked CSRF secret
DRAFT_TEXT = (
    "India and South Korea have built a special strategic partnership. Defence ties grew "
    "from naval exercises to co-production of the K9 Vajra howitzer under Make in India. "
)


@dataclass
class Run:
    endpoint: str
    requests_per_second: float
    requests: int
    errors: int  # non-2xx/3xx responses and socket errors
    p50_ms: float | None
    p99_ms: float | None
    statuses: dict[int, int]  # responses per HTTP status (wrk scripts only)
    server_cpu_ms: float | None = None  # CPU time of the gunicorn workers per request
    services_cpu_ms: float | None = None  # of PostgreSQL's and Redis's processes, per request
    wrk_cpu_ms: float | None = None  # of the load generator, per request


# ------------------------------------------------------------------------------- set-up


def copy_database(database: str, workdir: Path) -> str:
    """A private copy of the data set for the server to write to."""
    if database.startswith("postgres://"):
        base, name = database.rsplit("/", 1)
        copy = f"{name}_throughput"
        for command in (["dropdb", "--if-exists", copy], ["createdb", "-T", name, copy]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
        return f"{base}/{copy}"
    import sqlite3

    target = str(workdir / "throughput.sqlite3")
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


SETUP = """
import json, sys
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.models import User
from practice.answers.models import Answer
from practice.catalog.models import Prompt

# Sessions as a sign-in leaves them: in the configured store, naming the backend that
# authenticated (the first that loads users).
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
backend = next(
    path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
)
text = sys.argv[1]
prompts = list(Prompt.objects.published().values_list("pk", "slug"))
pairs = []
drafts = []
for user in User.objects.filter(is_staff=False).order_by("pk"):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    open_drafts = set(
        Answer.objects.filter(student=user, status="draft").values_list("prompt_id", flat=True)
    )
    for prompt_id, slug in prompts:
        if prompt_id not in open_drafts:
            drafts.append(Answer(student=user, prompt_id=prompt_id, text=text, word_count=30))
        pairs.append((session.session_key, slug))
Answer.objects.bulk_create(drafts, batch_size=1000)
Answer.objects.filter(status="draft").update(draft_version=0)
print(json.dumps(pairs))
"""

COUNT_SAVES = """
from django.db.models import Sum
from practice.answers.models import Answer
print(Answer.objects.filter(status="draft").aggregate(n=Sum("draft_version"))["n"] or 0)
"""


def run_django(env: dict, code: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code, *args],
        env=env | {"DJANGO_SETTINGS_MODULE": "practice.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def lua_script(pairs: list[tuple[str, str]], method: str) -> str:
    """A wrk script cycling through (session, prompt) pairs; `method` is HEALTHZ, GET (the
    write page) or POST (autosave).

    For autosave, the n-th use of a pair sends version n: the pair's previous save finished
    long before (thousands of other requests come in between), so every save is accepted.
    """
    rows = ",\n".join(f'{{"{session}", "{slug}"}}' for session, slug in pairs)
    cookie = f'"sessionid=" .. pair[1] .. "; csrftoken={CSRF_TOKEN}"'
    if method == "HEALTHZ":
        build = f"""
  return wrk.format("GET", "/healthz", {{["Cookie"] = {cookie}}})
"""
    elif method == "GET":
        build = f"""
  return wrk.format("GET", "/prompts/" .. pair[2] .. "/", {{["Cookie"] = {cookie}}})
"""
    else:
        build = f"""
  local body = "text={quote_plus(DRAFT_TEXT)}" .. counter .. "&version=" .. version .. "&seconds=60"
  local headers = {{
    ["Cookie"] = {cookie},
    ["X-CSRFToken"] = "{CSRF_TOKEN}",
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }}
  return wrk.format("POST", "/prompts/" .. pair[2] .. "/draft", headers, body)
"""
    return f"""
local sessions = {{
{rows}
}}
-- wrk calls request() once before the run to check the script (script_verify_request) and
-- never sends that request: it takes counter -1, so the first request sent is pair 1, version 0.
local counter = -1
request = function()
  local pair = sessions[counter % #sessions + 1]
  local version = math.floor(counter / #sessions)
  counter = counter + 1
{build}
end

-- Tally the status codes in each thread; done() runs apart and collects the tallies.
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  statuses = {{}}
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %d: %d\\n", status, count))
    end
  end
end
"""


# ------------------------------------------------------------------------------- running


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    server_env = env | {
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": "1",
        # No worker recycling in the middle of a 10-second run: it would be noise, not cost.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "practice.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        env=server_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),  # a file, not a pipe: a full pipe would stall the server
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    import urllib.request

    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited: " + log.read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def _process_stat(stat: Path) -> tuple[str, float] | None:
    """The name of a process and the CPU seconds it has used so far, from its /proc/<pid>/stat;
    None once it has exited."""
    try:
        name, rest = stat.read_text().split("(", 1)[1].rsplit(")", 1)
    except (OSError, IndexError):
        return None
    fields = rest.split()
    return name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's worker processes (Linux /proc)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    stats = (_process_stat(Path(f"/proc/{child}/stat")) for child in children)
    return sum(seconds for _, seconds in filter(None, stats))


SERVICES = ("postgres", "redis-server")  # process names of the database and cache servers


def services_cpu_seconds() -> float:
    """CPU seconds used so far by this machine's PostgreSQL and Redis processes (Linux /proc):
    with them on the same cores, their share of each request is part of its cost."""
    stats = map(_process_stat, Path("/proc").glob("[0-9]*/stat"))
    return sum(seconds for name, seconds in filter(None, stats) if name in SERVICES)


def children_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (each wrk run, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wrk(url: str, *, duration: float, connections: int, script: Path | None) -> dict:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script is not None:
        command += ["-s", str(script)]
    finished = subprocess.run([*command, url], check=True, capture_output=True, text=True)
    if finished.stderr.strip():  # wrk reports a broken script there and carries on without it
        raise SystemExit(f"wrk: {finished.stderr.strip()}")
    result = parse_wrk(finished.stdout)
    if script is not None:
        # Every scripted request must succeed with 200: a redirect to the login page (a lost
        # session) would otherwise pass as a fast, successful response.
        if not result["statuses"]:
            raise SystemExit("wrk's script reported no responses:\n" + finished.stdout)
        ok = result["statuses"].get(200, 0)
        socket_errors = result["errors"] - result["non_2xx_3xx"]
        result["errors"] = sum(result["statuses"].values()) - ok + socket_errors
    del result["non_2xx_3xx"]
    return result


def parse_wrk(output: str) -> dict:
    def number(pattern: str, default: float = 0.0) -> float:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else default

    def latency(percent: str) -> float | None:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    statuses = {
        int(code): int(count) for code, count in re.findall(r"^status (\d+): (\d+)$", output, re.M)
    }
    non_2xx_3xx = int(number(r"Non-2xx or 3xx responses: (\d+)"))
    return {
        "statuses": statuses,
        "non_2xx_3xx": non_2xx_3xx,
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in")),
        "errors": non_2xx_3xx + socket_errors,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
    }


def measure(options) -> dict:
    if not _has_wrk():
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    with tempfile.TemporaryDirectory(prefix="throughput-") as directory:
        workdir = Path(directory)
        database = copy_database(options.database, workdir)
        env = production_env(database)
        pairs = [tuple(pair) for pair in json.loads(run_django(env, SETUP, DRAFT_TEXT))]
        scripts = {}
        for name, method in (("healthz", "HEALTHZ"), ("write", "GET"), ("autosave", "POST")):
            scripts[name] = workdir / f"{name}.lua"
            scripts[name].write_text(lua_script(pairs, method))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = workdir / "gunicorn.log"
        server = start_gunicorn(env, port, options.workers, log)
        try:
            # All three through a script that tallies the statuses: the same load generator.
            # Warm-up, untimed: the write page's run opens every student's page at least once,
            # so that the timed rounds see a server that has served these students before.
            wrk(base, duration=2, connections=options.connections, script=scripts["healthz"])
            wrk(
                base,
                duration=WRITE_WARM_UP,
                connections=options.connections,
                script=scripts["write"],
            )
            # `/healthz` and the write page alternate in short rounds, so that a change in the
            # machine's speed during the run (other work on shared cores) falls on both alike;
            # the share is the median of the rounds' own shares.
            rounds: dict[str, list[Run]] = {"healthz": [], "write": []}
            for _ in range(ROUNDS):
                for name in rounds:
                    rounds[name].append(
                        timed_run(
                            name,
                            base,
                            scripts[name],
                            math.ceil(options.duration / ROUNDS),
                            options,
                            server,
                        )
                    )
            runs = [combined(name, rounds[name]) for name in rounds]
            write_share = statistics.median(
                write.requests_per_second / bare.requests_per_second
                for bare, write in zip(rounds["healthz"], rounds["write"], strict=True)
                if bare.requests_per_second
            )
            # Autosave last and once: it changes the drafts. The write page warmed it up (the
            # same middleware, session and draft lookup).
            runs.append(
                timed_run("autosave", base, scripts["autosave"], options.duration, options, server)
            )
        finally:
            stop(server)
        if any(run.errors for run in runs):
            print("gunicorn's log, last lines:\n" + "\n".join(log.read_text().splitlines()[-30:]))
        stored = int(run_django(env, COUNT_SAVES))
        autosave = runs[-1]
        accepted = autosave.requests - autosave.errors
        if database.startswith("postgres://"):
            name = database.rsplit("/", 1)[1]
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])
    return {
        "workers": options.workers,
        "connections": options.connections,
        "duration": options.duration,
        "students": len({session for session, _ in pairs}),
        "runs": {run.endpoint: asdict(run) for run in runs},
        "rounds": ROUNDS,
        "write_share": write_share,
        "autosaves_stored": stored,
        "autosaves_accepted": accepted,
    }


def timed_run(name: str, base: str, script: Path, duration: float, options, server) -> Run:
    before = workers_cpu_seconds(server), services_cpu_seconds(), children_cpu_seconds()
    result = wrk(base, duration=duration, connections=options.connections, script=script)
    after = workers_cpu_seconds(server), services_cpu_seconds(), children_cpu_seconds()
    requests = result["requests"]
    workers, services, load = (
        (end - start) * 1000 / requests if requests else None
        for start, end in zip(before, after, strict=True)
    )
    return Run(name, **result, server_cpu_ms=workers, services_cpu_ms=services, wrk_cpu_ms=load)


def combined(name: str, rounds: list[Run]) -> Run:
    """The rounds of one endpoint as one run: the median rate and latency, the worst p99,
    every request, error and status counted, the CPU per request over all of them."""
    statuses: dict[int, int] = {}
    for run in rounds:
        for status, count in run.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    requests = sum(run.requests for run in rounds)

    def per_request(field: str) -> float | None:
        spent = sum((getattr(run, field) or 0) * run.requests for run in rounds)
        return spent / requests if requests else None

    p99s = [run.p99_ms for run in rounds if run.p99_ms is not None]
    return Run(
        name,
        requests_per_second=statistics.median(run.requests_per_second for run in rounds),
        requests=requests,
        errors=sum(run.errors for run in rounds),
        p50_ms=statistics.median(run.p50_ms or 0 for run in rounds),
        p99_ms=max(p99s) if p99s else None,
        statuses=statuses,
        server_cpu_ms=per_request("server_cpu_ms"),
        services_cpu_ms=per_request("services_cpu_ms"),
        wrk_cpu_ms=per_request("wrk_cpu_ms"),
    )


def _has_wrk() -> bool:
    from shutil import which

    return which("wrk") is not None


def print_results(results: dict) -> None:
    runs = results["runs"]
    bare = runs["healthz"]["requests_per_second"] or 1.0
    print(
        f"gunicorn: {results['workers']} sync workers; wrk: 1 thread, "
        f"{results['connections']} connections, {results['duration']:g} s per endpoint, "
        f"{results['students']} signed-in students; wrk and gunicorn share this machine's cores"
    )
    print(
        f"{'endpoint':10} {'req/s':>9} {'vs healthz':>11} {'errors':>7} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'worker CPU ms/request':>22} {'db+cache':>9} {'wrk':>6}"
    )
    for name, run in runs.items():
        share = results["write_share"] if name == "write" else run["requests_per_second"] / bare
        print(
            f"{name:10} {run['requests_per_second']:9.1f} "
            f"{share:10.0%} {run['errors']:7d} "
            f"{run['p50_ms'] or 0:8.1f} {run['p99_ms'] or 0:8.1f} "
            f"{run['server_cpu_ms'] or 0:22.2f} {run.get('services_cpu_ms') or 0:9.2f} "
            f"{run.get('wrk_cpu_ms') or 0:6.2f}"
        )
    for name, run in runs.items():
        unexpected = {code: n for code, n in run["statuses"].items() if code != 200}
        if unexpected:
            print(f"{name}: responses other than 200: {unexpected}")
    print(
        f"autosaves answered 200: {results['autosaves_accepted']}, "
        f"stored in the database: {results['autosaves_stored']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a SQLite file or postgres:// URL built by seed_demo")
    parser.add_argument("--duration", type=float, default=15, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--json", type=Path, help="write the results here")
    options = parser.parse_args(argv)
    results = measure(options)
    print_results(results)
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    errors = sum(run["errors"] for run in results["runs"].values())
    # Requests still in flight when wrk stops are stored but not counted: more is fine.
    lost = results["autosaves_stored"] < results["autosaves_accepted"]
    if lost:
        print("error: not every accepted autosave is in the database")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
