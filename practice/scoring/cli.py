"""Command line: python -m practice.scoring PACK PROMPT_SLUG FILE

Prints one JSON report (UTF-8, indented) and exits 0. On bad input it prints one line,
"error: ...", on standard error and exits 2 for a usage mistake or 1 for bad input; it never
shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import NoReturn

from .engine import EmptyAnswerError, score
from .pack import load_pack
from .spec import PackError

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class InputError(Exception):
    """Bad input from the user: reported as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the usage and then the message; one line is easier to read and grep.
        self.exit(EXIT_USAGE, f"error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m practice.scoring",
        description="Score one answer against one prompt of a pack and print the JSON report.",
    )
    parser.add_argument("pack", help="prompt pack, YAML or JSON")
    parser.add_argument("prompt", metavar="prompt_slug", help="slug of a prompt in the pack")
    parser.add_argument(
        "answer", metavar="file", help="the answer, UTF-8 text; - for standard input"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        report = run(args.pack, args.prompt, args.answer)
        _write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return 0
    except InputError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (e.g. piped into head); say nothing more, as cat does.
        _silence_stdout()
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
        return _fail(f"internal error: {type(error).__name__}: {error}", EXIT_BAD_INPUT)


def run(pack_path: str, slug: str, answer_path: str) -> dict:
    """The report for one answer, or InputError with a message fit for one line."""
    try:
        _, prompts = load_pack(pack_path)
    except PackError as error:
        raise InputError(str(error)) from None
    spec = next((prompt for prompt in prompts if prompt.slug == slug), None)
    if spec is None:
        known = ", ".join(prompt.slug for prompt in prompts)
        raise InputError(f"no prompt {slug!r} in {pack_path} (it has: {known})")
    text = read_answer(answer_path)
    try:
        return score(text, spec).to_dict()
    except EmptyAnswerError as error:
        raise InputError(f"{_name(answer_path)}: {error}") from None


def read_answer(path: str) -> str:
    """The answer as text: UTF-8 (a byte-order mark is allowed), and not binary."""
    name = _name(path)
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as file:
                data = file.read()
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None
    if b"\x00" in data:
        raise InputError(f"{name} is not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def _name(path: str) -> str:
    return "standard input" if path == "-" else path


def _write(text: str) -> None:
    # Write bytes, so the report is UTF-8 whatever the locale says (Devanagari under LANG=C).
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _fail(message: str, status: int) -> int:
    line = " ".join(message.split())  # one line, however the message was built
    sys.stderr.write(f"error: {line}\n")
    return status


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
