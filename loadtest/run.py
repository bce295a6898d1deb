"""Load test: N students autosaving and submitting at once against gunicorn.

    python loadtest/run.py                      # 40 students on SQLite
    python loadtest/run.py --database postgres  # on PostgreSQL (127.0.0.1:5432), 80 students
    python loadtest/run.py --users 60 --workers 4 --rounds 3

Builds a fresh database, starts gunicorn on a free loopback port with production settings
(plain HTTP), runs locust headless for a bounded number of rounds per student, then checks
the database against what every student sent: each submission exactly once, with its exact
text, and a score. Prints errors, throughput and p99 latency; exits non-zero on any error
or lost work.
"""

import argparse
import csv
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import PYTHON, free_port, production_env  # noqa: E402

PASSWORD = "load-test-password"
PG_URL = "postgres://postgres@127.0.0.1:5432/practice_load"


def server_env(database: str, workdir: Path) -> dict:
    env = production_env(PG_URL if database == "postgres" else str(workdir / "load.sqlite3"))
    # Every simulated student logs in from the same address: keep the lockout out of the way.
    env["AXES_FAILURE_LIMIT"] = "1000"
    return env


def prepare_database(env: dict, database: str, users: int) -> list[str]:
    if database == "postgres":
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "practice_load"],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "practice_load"], check=True
        )
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup = f"""
from pathlib import Path
from django.contrib.auth.models import User
from django.contrib.auth.hashers import make_password
from practice.catalog.packs import import_pack
from practice.catalog.models import Prompt
for pack in sorted(Path("practice/content").glob("*.yaml")):
    import_pack(pack)
hashed = make_password({PASSWORD!r})
User.objects.bulk_create([User(username=f"load{{i:03d}}", password=hashed)
                          for i in range({users})])
print(",".join(Prompt.objects.values_list("slug", flat=True)[:6]))
"""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", setup],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1].split(",")


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def verify(env: dict, ledger: Path) -> list[str]:
    """Compare what students sent with what the database holds."""
    check = f"""
import json
from practice.answers.models import Answer
problems = []
entries = [json.loads(line) for line in open({str(ledger)!r}, encoding="utf-8")]
for entry in entries:
    answers = list(Answer.objects.filter(student__username=entry["username"],
                                         submission_key=entry["key"]))
    if len(answers) != 1:
        problems.append(f"{{entry['username']}}: {{len(answers)}} answers for one submission")
        continue
    answer = answers[0]
    if answer.text != entry["text"]:
        problems.append(f"{{entry['username']}}: submitted text differs from what was sent")
    if answer.status == "draft" or not answer.scores.filter(is_current=True).exists():
        problems.append(f"{{entry['username']}}: answer {{answer.pk}} not submitted and scored")
    if not entry["location"].endswith(f"/answers/{{answer.pk}}/"):
        problems.append(f"{{entry['username']}}: redirected to {{entry['location']!r}}")
print(json.dumps({{"checked": len(entries), "problems": problems}}))
"""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", check],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"checked {outcome['checked']} submissions against the database")
    return outcome["problems"]


def read_stats(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, help="students at once (40 SQLite, 80 PostgreSQL)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--rounds", type=int, default=2, help="questions each student answers")
    parser.add_argument("--autosaves", type=int, default=6, help="autosaves per answer")
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=10,
        help="students logging in per second before they all write at once",
    )
    args = parser.parse_args()
    users = args.users or (80 if args.database == "postgres" else 40)

    with tempfile.TemporaryDirectory(prefix="practice-load-") as tmp:
        workdir = Path(tmp)
        env = server_env(args.database, workdir)
        prompts = prepare_database(env, args.database, users)
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "practice.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(port, server)
            ledger = workdir / "ledger.jsonl"
            ledger.touch()
            load_env = dict(
                env,
                LOAD_PASSWORD=PASSWORD,
                LOAD_PROMPTS=",".join(prompts),
                LOAD_ROUNDS=str(args.rounds),
                LOAD_AUTOSAVES=str(args.autosaves),
                LOAD_LEDGER=str(ledger),
            )
            prefix = workdir / "locust"
            started = time.monotonic()
            locust = subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--run-time",
                    "5m",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=load_env,
            )
            elapsed = time.monotonic() - started
            finished = time.time()
            marker = Path(f"{ledger}.start")
            writing_seconds = finished - float(marker.read_text()) if marker.exists() else None
        finally:
            server.terminate()
            server.wait(timeout=30)
        stats = read_stats(prefix)
        total = stats["Aggregated"]
        requests = int(total["Request Count"])
        failures = int(total["Failure Count"])
        problems = verify(env, ledger)

    print(f"\n{args.database}: {users} students, {args.workers} gunicorn workers")
    print(f"requests {requests}, errors {failures}, lost or duplicated work {len(problems)}")
    print(f"throughput {requests / elapsed:.1f} req/s over {elapsed:.1f} s in all")
    writing_requests = sum(
        int(row["Request Count"])
        for name, row in stats.items()
        if "/prompts/" in name or "/answers/" in name
    )
    if writing_seconds:
        print(
            f"writing phase: {writing_requests} requests in {writing_seconds:.1f} s = "
            f"{writing_requests / writing_seconds:.1f} req/s (every student at once)"
        )
    writing = [row for name, row in stats.items() if "/prompts/" in name]
    writing_p99 = max(int(row["99%"]) for row in writing)
    print(
        f"p99 latency {total['99%']} ms overall (p50 {total['50%']} ms); "
        f"{writing_p99} ms for writing requests (write page, autosave, submit)"
    )
    print("  (logins are slow on purpose: password hashing costs about 0.3 s of CPU each)")
    for name, row in sorted(stats.items()):
        if name != "Aggregated":
            print(
                f"  {name:32} n={row['Request Count']:>5} fail={row['Failure Count']:>3} "
                f"p99={row['99%']:>6} ms"
            )
    for problem in problems[:20]:
        print("LOST:", problem)
    return 1 if failures or problems or locust.returncode not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
