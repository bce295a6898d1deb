"""python -m practice.scoring: one JSON report, or one line on stderr and a non-zero exit."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CALIBRATION

ROOT = Path(__file__).resolve().parents[2]
PACK = str(CALIBRATION / "pack.yaml")
SLUG = "calibration-aep-nsp"
STRONG = str(CALIBRATION / "answers" / "strong.txt")


def run(*args, stdin=b""):
    return subprocess.run(
        [sys.executable, "-m", "practice.scoring", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )


def test_scores_a_file_and_prints_one_json_report():
    result = run(PACK, SLUG, STRONG)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["prompt"] == SLUG and report["max_marks"] == 15
    assert result.stdout.decode().startswith('{\n  "prompt"')  # indented
    assert result.stderr == b""


def test_reads_standard_input_and_keeps_non_ascii_text():
    text = "भारत और दक्षिण कोरिया: Act East Policy के तहत रक्षा सहयोग बढ़ा है।"
    result = run(PACK, SLUG, "-", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["concepts"][0]["evidence"][0]["text"] == "Act East Policy"
    assert "\\u" not in result.stdout.decode()  # ensure_ascii off


@pytest.mark.parametrize(
    ("args", "stdin", "status", "message"),
    [
        ((), b"", 2, "error: the following arguments are required"),
        ((PACK, "no-such-prompt", STRONG), b"", 1, "error: no prompt 'no-such-prompt'"),
        (("missing.yaml", SLUG, STRONG), b"", 1, "error: cannot read pack missing.yaml"),
        ((PACK, SLUG, "missing.txt"), b"", 1, "error: cannot read missing.txt"),
        ((PACK, SLUG, "-"), b"  \n\t ", 1, "error: standard input: the answer is empty"),
        ((PACK, SLUG, "-"), b"\xff\xfe\x41", 1, "error: standard input is not UTF-8 text"),
        ((PACK, SLUG, "-"), b"abc\x00\x01def", 1, "error: standard input is not a text file"),
        ((PACK, SLUG, str(ROOT)), b"", 1, "error: cannot read"),
    ],
)
def test_bad_input_gives_one_line_and_a_non_zero_exit(args, stdin, status, message):
    result = run(*args, stdin=stdin)
    assert result.returncode == status
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert "Traceback" not in result.stderr.decode()


def test_an_invalid_pack_names_the_prompt_and_field(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        Path(PACK).read_text(encoding="utf-8").replace("word_limit: 250", "word_limit: -1"),
        encoding="utf-8",
    )
    result = run(str(pack), SLUG, STRONG)
    assert result.returncode == 1
    assert (
        result.stderr.decode()
        .strip()
        .endswith(f"prompts[0] ({SLUG}): word_limit: must be a positive whole number (got -1)")
    )


def test_help_exits_zero():
    result = run("--help")
    assert result.returncode == 0
    assert b"PACK" in result.stdout.upper()
