"""Plain-language explanations of the engine's readability figures, for the feedback page."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    meaning: str


def _reading_ease(value: float) -> str:
    if value >= 60:
        return "Plain English: most readers follow it easily."
    if value >= 50:
        return "Fairly difficult: fine for an exam answer, but keep sentences short."
    if value >= 30:
        return "Difficult: long sentences and long words. An examiner reads fast; simplify."
    return "Very difficult: split long sentences and prefer common words."


def _grade(value: float) -> str:
    if value <= 8:
        return "Easy to read; check that the answer still sounds analytical."
    if value <= 14:
        return "About right for a Mains answer: clear but mature prose."
    return "Heavier than it needs to be: shorter sentences will read faster."


def _words_per_sentence(value: float) -> str:
    if value < 12:
        return "Short sentences: crisp, but join ideas where they belong together."
    if value <= 25:
        return "A comfortable sentence length for an examiner reading quickly."
    return "Long sentences: aim for 15 to 25 words each."


EXPLAINERS = {
    "flesch_reading_ease": ("Flesch reading ease", _reading_ease),
    "flesch_kincaid_grade": ("Flesch–Kincaid grade", _grade),
    "gunning_fog": ("Gunning fog index", _grade),
    "smog_index": ("SMOG index", _grade),
    "coleman_liau_index": ("Coleman–Liau index", _grade),
    "automated_readability_index": ("Automated readability index", _grade),
    "words_per_sentence": ("Words per sentence", _words_per_sentence),
}

PLAIN_NOTES = {
    "dale_chall_readability_score": (
        "Dale–Chall score",
        "Counts words outside a list of familiar words; below 9 reads as plain prose.",
    ),
    "difficult_words": (
        "Difficult words",
        "Words of three or more syllables not on the familiar list. Technical terms are "
        "fine; padding with long words is not.",
    ),
    "sentence_count": ("Sentences", "Headings and bullet points count as sentences of their own."),
}


def readability_figures(metrics: dict) -> list[Figure]:
    figures = []
    for key, (name, explain) in EXPLAINERS.items():
        if key in metrics:
            figures.append(Figure(name, metrics[key], explain(metrics[key])))
    for key, (name, meaning) in PLAIN_NOTES.items():
        if key in metrics:
            figures.append(Figure(name, metrics[key], meaning))
    return figures
