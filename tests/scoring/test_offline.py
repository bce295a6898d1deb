"""Scoring needs no network and no downloaded data: the CMU dictionary ships in a package.

textstat asks nltk for the CMU Pronouncing Dictionary, and nltk downloads it on first use.
This test runs a fresh interpreter with every socket connection refused and NLTK_DATA and
HOME pointing at an empty directory, so neither a download nor a cached copy can help.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import CALIBRATION

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access is blocked in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse

from practice.scoring import load_pack, score
_, prompts = load_pack(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
report = score(text, prompts[0])
print(json.dumps(report.to_dict()["components"]["readability"]["metrics"]))
"""


def test_scoring_works_with_no_network_and_no_nltk_data(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NLTK", "HTTP", "HTTPS", "XDG"))
    }
    env.update(
        NLTK_DATA=str(empty),
        HOME=str(empty),
        XDG_DATA_HOME=str(empty),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(CALIBRATION / "pack.yaml"),
            str(CALIBRATION / "answers" / "strong.txt"),
        ],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    metrics = json.loads(result.stdout)
    assert 5 < metrics["flesch_kincaid_grade"] < 20
    assert list(empty.iterdir()) == []  # nothing was downloaded or cached


def test_the_same_blocked_interpreter_fails_without_the_shipped_dictionary(tmp_path):
    """The guard above is real: plain textstat, unpatched, needs the network."""
    empty = tmp_path / "empty"
    empty.mkdir()
    script = SCRIPT.split("from practice.scoring")[0] + (
        "import textstat\ntextstat.flesch_kincaid_grade('A short sentence to measure.')\n"
    )
    env = dict(os.environ, NLTK_DATA=str(empty), HOME=str(empty), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, cwd=tmp_path, env=env, timeout=120
    )
    assert result.returncode != 0
