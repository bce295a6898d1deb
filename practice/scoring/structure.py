"""Structure: length against the limit, the shape of the answer, and what the directive asks.

Each check yields a credit in 0..1, a plain sentence saying what was found, and, when it
fails, one concrete feedback line. The structure score is the weighted mean of the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .compiled import CompiledPrompt, DirectiveFamily
from .document import Document
from .lexicon import (
    CONCLUSION_HEADINGS,
    CONCLUSION_OPENERS,
    CONTRAST_PHRASES,
    CONTRAST_WORDS,
    DIMENSION_FAMILIES,
    INTRODUCTION_HEADINGS,
    LIMITATION_STEMS,
    REASON_PHRASES,
    REASON_WORDS,
    STANCE_PHRASES,
    STANCE_WORDS,
)
from .normalise import StemSet
from .report import Check, Note, Priority
from .segment import Kind, Unit

CHECK_WEIGHTS = {
    "word_limit": 0.3,
    "introduction": 0.15,
    "body": 0.2,
    "conclusion": 0.15,
    "directive": 0.2,
}

# Length, as a share of the limit. Full credit from SHORT_FULL to LONG_FULL (examiners allow
# about ten per cent over); below, credit falls towards SHORT_FLOOR for an empty page; above,
# it falls to nothing at LONG_ZERO, where most of the answer is past what is read.
SHORT_FULL = 0.6
SHORT_FLOOR = 0.3
LONG_FULL = 1.1
LONG_ZERO = 2.0

# An introduction or conclusion longer than this share of the answer is the body in disguise.
FRAME_MAX_SHARE = 0.4
MIN_BODY_POINTS = 2
# For "both sides", the share of the answer's words given to limits and counter-arguments:
# at least a tenth (more than a passing "but"), at most seven tenths (not only criticism).
MIN_COUNTER_SHARE = 0.1
MAX_COUNTER_SHARE = 0.7
MIN_DIMENSIONS = 3

_LIMITATIONS = StemSet({item: item for item in LIMITATION_STEMS})
_DIMENSIONS = StemSet(
    {item: family for family, stems in DIMENSION_FAMILIES.items() for item in stems}
)


@dataclass(frozen=True, slots=True)
class StructureAssessment:
    score: float
    checks: tuple[Check, ...]
    notes: tuple[Note, ...]


def assess_structure(doc: Document, prompt: CompiledPrompt) -> StructureAssessment:
    spec = prompt.spec
    reader = _Reader(doc)
    checks_and_notes = [
        _word_limit(doc.word_count, spec.word_limit),
        *_shape(reader, prompt),
        _directive(reader, prompt),
    ]
    checks = tuple(check for check, _ in checks_and_notes)
    notes = tuple(note for _, note in checks_and_notes if note is not None)
    score = sum(CHECK_WEIGHTS[check.name] * check.credit for check in checks)
    return StructureAssessment(score, checks, notes)


class _Reader:
    """The words of each unit, sentence and heading of a document, normalised."""

    def __init__(self, doc: Document):
        layout = doc.layout
        self.headings = layout.headings
        self.units = layout.units
        unit_spans: list[list[int]] = [[-1, -1] for _ in layout.units]
        self.body_sentences: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for index, sentence in enumerate(layout.sentences):
            if sentence.unit < 0:
                continue
            first, stop = doc.sentence_spans[index]
            span = unit_spans[sentence.unit]
            if span[0] < 0:
                span[0] = first
            span[1] = stop
            heading = self.heading_words(self.units[sentence.unit])
            self.body_sentences.append((doc.norms[first:stop], heading))
        self.unit_words = [
            doc.norms[first:stop] if first >= 0 else () for first, stop in unit_spans
        ]
        self.total_words = max(1, sum(len(words) for words in self.unit_words))
        self.vocabulary = frozenset(doc.norms)  # headings included
        self.body_vocabulary = frozenset(chain.from_iterable(w for w, _ in self.body_sentences))

    def heading_words(self, unit: Unit) -> tuple[str, ...]:
        return self.headings[unit.heading].words if unit.heading >= 0 else ()

    def share(self, unit_index: int) -> float:
        return len(self.unit_words[unit_index]) / self.total_words


def _word_limit(words: int, limit: int) -> tuple[Check, Note | None]:
    ratio = words / limit
    if ratio < SHORT_FULL:
        credit = SHORT_FLOOR + (1 - SHORT_FLOOR) * ratio / SHORT_FULL
        detail = f"{words} words against a limit of {limit}: well short of it."
        note = Note(
            Priority.UNDER_LIMIT,
            0,
            f"Your answer has {words} words against a limit of {limit}; use the space to "
            "develop each point with a fact, an example or a consequence.",
        )
    elif ratio <= LONG_FULL:
        credit = 1.0
        detail = f"{words} words against a limit of {limit}: within the limit."
        note = None
    else:
        credit = max(0.0, 1 - (ratio - LONG_FULL) / (LONG_ZERO - LONG_FULL))
        detail = f"{words} words against a limit of {limit}: {words - limit} over."
        note = Note(
            Priority.OVER_LIMIT,
            0,
            f"Your answer has {words} words against a limit of {limit}; cut it to the limit "
            "by dropping background that does not answer the question.",
        )
    return Check("word_limit", ratio >= SHORT_FULL and ratio <= LONG_FULL, detail, credit), note


def _shape(reader: _Reader, prompt: CompiledPrompt) -> list[tuple[Check, Note | None]]:
    units = reader.units
    if len(units) < 2:
        detail = "The answer is a single block of text."
        note = Note(
            Priority.LAYOUT,
            0,
            "Your answer is a single block of text; give it a short introduction, a body of "
            "separate points (a paragraph or a bullet each) and a conclusion.",
        )
        return [
            (Check("introduction", False, detail, 0.0), note),
            (Check("body", False, detail, 0.0), None),
            (Check("conclusion", False, detail, 0.0), None),
        ]
    introduction = _introduction(reader, prompt)
    conclusion = _conclusion(reader)
    first = 1 if introduction[0].passed else 0
    last = len(units) - 1 if conclusion[0].passed else len(units)
    return [introduction, _body(last - first), conclusion]


def _introduction(reader: _Reader, prompt: CompiledPrompt) -> tuple[Check, Note | None]:
    unit = reader.units[0]
    headed = bool(set(reader.heading_words(unit)) & INTRODUCTION_HEADINGS)
    share = reader.share(0)
    subjects = set(prompt.question.subject_words(reader.unit_words[0]).values())
    # One subject word anchors an opening to a short question; two to a long one.
    needed = min(2, max(1, prompt.question.subject_count // 4))
    if unit.kind is Kind.BULLET and not headed:
        return _failed(
            "introduction",
            "The answer opens with a bullet point, not an introduction.",
            "Open with a sentence or two of introduction that sets the context before your points.",
        )
    if share > FRAME_MAX_SHARE and not headed:
        return _failed(
            "introduction",
            f"The opening paragraph holds {share:.0%} of the answer.",
            f"Your opening paragraph holds {share:.0%} of the answer; keep the introduction to "
            "two or three sentences and move the analysis into the body.",
        )
    if len(subjects) < needed:
        return _failed(
            "introduction",
            "The opening paragraph does not mention the subject of the question.",
            "Anchor your introduction in the question: name its subject and give the context "
            "(a date, an event, a policy).",
        )
    return Check("introduction", True, "A separate opening paragraph sets the context.", 1.0), None


def _conclusion(reader: _Reader) -> tuple[Check, Note | None]:
    index = len(reader.units) - 1
    unit = reader.units[index]
    words = reader.unit_words[index]
    headed = bool(set(reader.heading_words(unit)) & CONCLUSION_HEADINGS)
    marked = headed or any(_starts_with(words, opener) for opener in CONCLUSION_OPENERS)
    if reader.share(index) > FRAME_MAX_SHARE and not headed:
        return _failed(
            "conclusion",
            "The closing paragraph is too long to be a conclusion.",
            "End with a short conclusion of two or three sentences: a balanced judgement and a "
            "way forward.",
        )
    # A closing prose paragraph after the body reads as a conclusion even without a marker;
    # a final bullet does only under a conclusion heading or with a concluding phrase.
    if marked or (unit.kind is Kind.PROSE and len(reader.units) >= 3):
        return Check(
            "conclusion", True, "A separate closing paragraph concludes the answer.", 1.0
        ), None
    return _failed(
        "conclusion",
        "The answer stops without a conclusion.",
        "End with a short conclusion in its own paragraph: a balanced judgement and a way forward.",
    )


def _body(points: int) -> tuple[Check, Note | None]:
    if points >= MIN_BODY_POINTS:
        return Check("body", True, f"The body makes {points} separate points.", 1.0), None
    detail = (
        "The body is a single paragraph."
        if points == 1
        else "There is no body between the opening and the close."
    )
    return Check("body", False, detail, 0.5 if points == 1 else 0.0), Note(
        Priority.LAYOUT,
        1,
        "Develop the body as separate points, a paragraph or a bullet for each, between the "
        "introduction and the conclusion.",
    )


def _directive(reader: _Reader, prompt: CompiledPrompt) -> tuple[Check, Note | None]:
    family = prompt.directive
    directive = prompt.directive_text
    if family is DirectiveFamily.BALANCE:
        return _both_sides(reader, directive)
    if family is DirectiveFamily.VIEW:
        return _reasoned_view(reader, directive)
    return _dimensions(reader, directive)


def _both_sides(reader: _Reader, directive: str) -> tuple[Check, Note | None]:
    """Both sides: a real share of the body on limits or counter-arguments, but not all of it.

    Measured in words rather than sentences, so one developed paragraph of limits counts as
    much as several short ones, and a lone "but" counts for little.
    """
    limiting = _LIMITATIONS.members(reader.vocabulary)
    counter_words = total_words = 0
    for words, heading in reader.body_sentences:
        total_words += len(words)
        if _is_counterpoint(words, limiting) or not limiting.isdisjoint(heading):
            counter_words += len(words)
    share = counter_words / max(1, total_words)
    if share > MAX_COUNTER_SHARE:
        return Check("directive", False, "Argues only the critical side.", 0.5), Note(
            Priority.DIRECTIVE,
            0,
            f"The question asks you to {directive}: "
            "set out what supports the claim before its limits.",
        )
    if share >= MIN_COUNTER_SHARE:
        detail = f"Weighs both sides: {share:.0%} of the answer on limits or counterpoints."
        return Check("directive", True, detail, 1.0), None
    detail = "Gives a passing counterpoint." if share else "Gives no counterpoint or limitation."
    return Check("directive", False, detail, share / MIN_COUNTER_SHARE), Note(
        Priority.DIRECTIVE,
        0,
        f"The question asks you to {directive}: weigh both sides. Add the limits, challenges "
        'or counter-arguments ("However, ...") before you conclude.',
    )


def _dimensions(reader: _Reader, directive: str) -> tuple[Check, Note | None]:
    found = sorted(
        {_DIMENSIONS.lookup(word) for word in _DIMENSIONS.members(reader.body_vocabulary)}
    )
    if len(found) >= MIN_DIMENSIONS:
        return Check(
            "directive", True, f"Covers several dimensions: {', '.join(found)}.", 1.0
        ), None
    covered = f"only {', '.join(found)}" if found else "no clear dimension"
    return Check("directive", False, f"Covers {covered}.", len(found) / MIN_DIMENSIONS), Note(
        Priority.DIRECTIVE,
        0,
        f"The question asks you to {directive}: cover several dimensions (for example political, "
        f"economic, strategic, technological); your answer covers {covered}.",
    )


def _reasoned_view(reader: _Reader, directive: str) -> tuple[Check, Note | None]:
    sentences = [words for words, _ in reader.body_sentences]
    stance = any(
        not STANCE_WORDS.isdisjoint(words) or _has_phrase(words, STANCE_PHRASES)
        for words in sentences
    )
    reason = any(
        not REASON_WORDS.isdisjoint(words) or _has_phrase(words, REASON_PHRASES)
        for words in sentences
    )
    credit = 0.5 * stance + 0.5 * reason
    if stance and reason:
        return Check("directive", True, "States a view and gives reasons for it.", 1.0), None
    missing = "a clear view of your own" if not stance else "the reasons behind your view"
    return Check("directive", False, f"Lacks {missing}.", credit), Note(
        Priority.DIRECTIVE,
        0,
        f'The question asks you to {directive}: give {missing} ("This matters because ...").',
    )


def _is_counterpoint(words: tuple[str, ...], limiting: set[str]) -> bool:
    """A sentence with a contrast ("however") or a word naming a limit (in ``limiting``)."""
    contrasts = CONTRAST_WORDS.intersection(words)
    # "not only ... but also" adds, it does not contrast.
    if contrasts and (contrasts != {"but"} or not _contains(words, ("but", "also"))):
        return True
    if not limiting.isdisjoint(words):
        return True
    return _has_phrase(words, CONTRAST_PHRASES)


def _has_phrase(words: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(_contains(words, phrase) for phrase in phrases)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    first = phrase[0]
    if first not in words:
        return False
    size = len(phrase)
    return any(
        words[index] == first and words[index : index + size] == phrase
        for index in range(len(words) - size + 1)
    )


def _starts_with(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return tuple(words[: len(phrase)]) == phrase


def _failed(name: str, detail: str, advice: str) -> tuple[Check, Note]:
    return Check(name, False, detail, 0.0), Note(Priority.LAYOUT, 0, advice)
