"""Benchmark: the engine's score() beside textstat's own metrics on the same answers.

Run as ``python benchmarks/engine.py`` (``make bench``). For a 150-word and a 250-word answer
from the calibration set, and for the 250-word answer repeated twenty times, it prints the
median time of

- ``score(text, spec)``: the whole engine (content, structure, readability, report), and
- textstat alone: the ten metrics the engine reports, called through textstat's public API
  on the same text,

and exits with status 1 unless both targets hold:

- a whole score costs at most 1.5 times textstat alone on the same text;
- twenty times the text costs the engine at most 25 times the time.

Fairness. textstat memoises its functions with functools.lru_cache, per text and per word,
in caches of 128 entries that one answer already overflows; timing the same string twice
would time a cache lookup, and whichever side ran second would find the words of the first
in the cache. So every timed call gets a text that neither side has seen (run ``i`` appends
"Note i." to the answer; both sides are timed on that same text, alternately), and textstat's
caches are emptied before every timed call of either side: both pay for textstat cold, as a
server does for each new answer. The engine's own per-word memos (stems, word lookups, and
textstat's syllable count and difficult-word test for each word; up to 50,000 words) are
kept, warmed by untimed runs, as in a server that has scored answers before. ``--cold`` also
empties those before every call: a first answer after start-up, shown for information.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import textstat  # noqa: E402

from practice.scoring import load_pack, score, structure, textmetrics, warm_up  # noqa: E402
from practice.scoring.normalise import StemSet  # noqa: E402

DATA = ROOT / "tests" / "data" / "calibration"
RUNS = 30
WARM_UP_RUNS = 5
MAX_RATIO = 1.5
SCALE = 20
MAX_SCALE_COST = 25


def textstat_metrics(text: str) -> list[float]:
    """The metrics the engine reports, as a user of textstat would compute them."""
    return [
        textstat.flesch_reading_ease(text),
        textstat.flesch_kincaid_grade(text),
        textstat.gunning_fog(text),
        textstat.smog_index(text),
        textstat.coleman_liau_index(text),
        textstat.automated_readability_index(text),
        textstat.dale_chall_readability_score(text),
        textstat.words_per_sentence(text),
        textstat.difficult_words(text),
        textstat.sentence_count(text),
    ]


def clear_textstat_caches() -> None:
    """Empty textstat's memos, keeping the dictionaries it loads (CMU, Pyphen, easy words)."""
    _clear_caches(("textstat",))


def clear_all_caches() -> None:
    """Empty the memos of textstat and of the engine, keeping loaded dictionaries."""
    _clear_caches(("textstat", "practice.scoring"))  # compiled prompts and their memos too
    for value in vars(structure).values():
        if isinstance(value, StemSet):
            value.clear_memo()
    textmetrics.clear_memo()


def _clear_caches(prefixes: tuple[str, ...]) -> None:
    keep = {
        "get_cmudict",
        "get_pyphen",
        "get_lang_easy_words",
        "_textstat_cmudict",
        "pronunciations",
    }
    for name, module in list(sys.modules.items()):
        if not name.startswith(prefixes):
            continue
        for value in vars(module).values():
            if hasattr(value, "cache_clear") and getattr(value, "__name__", "") not in keep:
                value.cache_clear()


def variant(text: str, run: int) -> str:
    return f"{text}\n\nNote {run}."


def time_pair(text: str, spec, runs: int, cold: bool) -> tuple[float, float]:
    """Median seconds of (score, textstat alone), each run on a text new to both."""
    engine_times: list[float] = []
    textstat_times: list[float] = []
    for run in range(-WARM_UP_RUNS, runs):
        sample = variant(text, run + 1000 * len(text))
        timings = []
        for work in (partial(score, sample, spec), partial(textstat_metrics, sample)):
            clear_all_caches() if cold else clear_textstat_caches()
            timings.append(_timed(work))
        if run >= 0:
            engine_times.append(timings[0])
            textstat_times.append(timings[1])
    return statistics.median(engine_times), statistics.median(textstat_times)


def _timed(work: Callable[[], object]) -> float:
    """CPU seconds of this process spent in ``work``.

    Process time rather than wall time: on a shared machine other processes stretch wall
    time at random, while the cost of a score is the CPU it takes.
    """
    gc.disable()  # a collection landing in one side's run would be noise, not cost
    try:
        start = time.process_time()
        work()
        return time.process_time() - start
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--cold", action="store_true", help="empty all caches before each call")
    args = parser.parse_args(argv)

    warm_up()
    _, prompts = load_pack(DATA / "pack.yaml")
    spec = prompts[0]
    answer_150 = (DATA / "answers" / "misspelled.txt").read_text(encoding="utf-8")
    answer_250 = (DATA / "answers" / "strong.txt").read_text(encoding="utf-8")
    cases = [
        ("150-word answer", answer_150),
        ("250-word answer", answer_250),
        (f"{SCALE} x 250-word answer", "\n\n".join([answer_250] * SCALE)),
    ]
    mode = "all caches emptied" if args.cold else "new text, textstat cold, engine word memos warm"
    print(f"median of {args.runs} runs ({mode})")
    print(f"{'text':24} {'words':>6} {'score() ms':>11} {'textstat ms':>12} {'ratio':>6}")
    results = {}
    too_slow = []
    for name, text in cases:
        engine, alone = time_pair(text, spec, args.runs, args.cold)
        results[name] = engine
        ratio = engine / alone
        if ratio > MAX_RATIO:
            too_slow.append(name)
        words = len(text.split())
        print(f"{name:24} {words:6d} {engine * 1e3:11.2f} {alone * 1e3:12.2f} {ratio:6.2f}")
    growth = results[cases[2][0]] / results[cases[1][0]]
    ratio_ok, growth_ok = not too_slow, growth <= MAX_SCALE_COST
    print(
        f"target: a whole score <= {MAX_RATIO} x textstat alone: "
        + ("ok" if ratio_ok else f"FAIL ({', '.join(too_slow)})")
    )
    print(
        f"target: {SCALE} times the text <= {MAX_SCALE_COST} times the time: "
        f"{'ok' if growth_ok else 'FAIL'} ({growth:.1f} times)"
    )
    failed = not (ratio_ok and growth_ok)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
