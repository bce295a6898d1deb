"""Fixtures for the engine's tests: specs and answers, no Django and no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice.scoring import PromptSpec, load_pack

DATA = Path(__file__).resolve().parent.parent / "data"
CALIBRATION = DATA / "calibration"
CASES = (
    "strong",
    "medium",
    "weak",
    "offtopic",
    "stuffed",
    "variants",
    "misspelled",
    "bullets",
    "overlength",
    "copy",
)


def read_answer(name: str) -> str:
    return (CALIBRATION / "answers" / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def calibration_spec() -> PromptSpec:
    _, prompts = load_pack(CALIBRATION / "pack.yaml")
    return prompts[0]


@pytest.fixture(scope="session")
def answers() -> dict[str, str]:
    return {name: read_answer(name) for name in CASES}


def prompt_entry(**overrides) -> dict:
    """A small valid prompt entry, for tests that vary one field."""
    entry = {
        "slug": "monsoon-agriculture",
        "question": "Discuss the impact of monsoon variability on Indian agriculture.",
        "directive": "discuss",
        "word_limit": 150,
        "marks": 10,
        "minutes": 7,
        "rubric": {
            "concepts": [
                {
                    "label": "Rain-fed farming",
                    "weight": 2,
                    "aliases": ["rain-fed agriculture", "rainfed farming"],
                    "hint": "Note that about half of India's sown area is rain-fed.",
                },
                {
                    "label": "Irrigation",
                    "weight": 1,
                    "aliases": ["irrigation", "micro irrigation"],
                    "hint": "Mention irrigation as the buffer against a failed monsoon.",
                    "required": True,
                },
            ]
        },
    }
    entry.update(overrides)
    return entry
