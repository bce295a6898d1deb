"""Structure: length against the limit, the shape of the answer, and what the directive asks.

Each check yields a credit in 0..1, a plain sentence saying what was found, and, when it
fails, one concrete feedback line. The structure score is the weighted mean of the checks.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import eq
from typing import NamedTuple

from .compiled import (
    CONTRAST_WORD,
    DIMENSION_WORD,
    DIMENSIONS,
    LIMITATION_WORD,
    LIMITATIONS,
    PHRASE_OPENER,
    REASON_WORD,
    STANCE_WORD,
    SUBJECT_WORD,
    CompiledPrompt,
    DirectiveFamily,
    flagged,
)
from .document import Document
from .lexicon import (
    CONCLUSION_HEADINGS,
    CONCLUSION_OPENERS,
    CONTRAST_PHRASES,
    CONTRAST_WORDS,
    INTRODUCTION_HEADINGS,
    REASON_PHRASES,
    STANCE_PHRASES,
)
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


# The checks that most answers pass, built once: results are immutable, so reports share them.
_INTRODUCTION_MADE = Check(
    "introduction", True, "A separate opening paragraph sets the context.", 1.0
)
_CONCLUSION_MADE = Check(
    "conclusion", True, "A separate closing paragraph concludes the answer.", 1.0
)


_CONCLUSION_OPENER_WORDS = frozenset(opener[0] for opener in CONCLUSION_OPENERS)


class StructureAssessment(NamedTuple):
    score: float
    checks: tuple[Check, ...]
    notes: tuple[Note, ...]


def assess_structure(doc: Document, prompt: CompiledPrompt, words: bytes) -> StructureAssessment:
    """``words``: the code of each word of the document (see CompiledPrompt.words)."""
    spec = prompt.spec
    reader = _Reader(doc, words)
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
    """The words of each unit, sentence and heading of a document: normalised, and coded."""

    def __init__(self, doc: Document, words: bytes):
        layout = doc.layout
        self.norms = doc.norms
        self.codes = words
        self.token_sentence = doc.token_sentence
        self.headings = layout.headings
        self.units = layout.units
        self.unit_spans: list[list[int]] = [[-1, -1] for _ in layout.units]
        # The sentences of the units: (sentence, first word, past its last word, heading or -1).
        self.body_sentences: list[tuple[int, int, int, int]] = []
        for index, sentence in enumerate(layout.sentences):
            if sentence.unit < 0:
                continue
            first, stop = doc.sentence_spans[index]
            span = self.unit_spans[sentence.unit]
            if span[0] < 0:
                span[0] = first
            span[1] = stop
            self.body_sentences.append((index, first, stop, self.units[sentence.unit].heading))
        self.total_words = max(1, sum(stop - first for first, stop in self.unit_spans))

    def unit_words(self, unit: int) -> tuple[str, ...]:
        first, stop = self.unit_spans[unit]
        return self.norms[first:stop] if first >= 0 else ()

    def sentences_with(self, flag: int) -> set[int]:
        """The sentences with a word whose code has ``flag`` (see CompiledPrompt.words)."""
        return set(map(self.token_sentence.__getitem__, flagged(self.codes, flag)))

    def heading_words(self, unit: Unit) -> tuple[str, ...]:
        return self.headings[unit.heading].words if unit.heading >= 0 else ()

    def share(self, unit: int) -> float:
        first, stop = self.unit_spans[unit]
        return (stop - first) / self.total_words


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
    first, stop = reader.unit_spans[0]
    subjects = {
        prompt.question.subjects.lookup(reader.norms[first + offset])
        for offset in flagged(reader.codes[first:stop], SUBJECT_WORD)
    }
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
    return _INTRODUCTION_MADE, None


def _conclusion(reader: _Reader) -> tuple[Check, Note | None]:
    index = len(reader.units) - 1
    unit = reader.units[index]
    words = reader.unit_words(index)
    headed = bool(set(reader.heading_words(unit)) & CONCLUSION_HEADINGS)
    marked = headed or (
        bool(words)
        and words[0] in _CONCLUSION_OPENER_WORDS
        and any(_starts_with(words, opener) for opener in CONCLUSION_OPENERS)
    )
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
        return _CONCLUSION_MADE, None
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
    markers = _CounterMarkers(
        reader.sentences_with(CONTRAST_WORD),
        reader.sentences_with(LIMITATION_WORD),
        reader.sentences_with(PHRASE_OPENER),
    )
    limiting_headings: dict[int, bool] = {}  # by heading, worked out when first needed
    counter_words = total_words = 0
    for sentence, first, stop, heading in reader.body_sentences:
        total_words += stop - first
        if _is_counterpoint(reader.norms[first:stop], sentence, markers):
            counter_words += stop - first
        elif heading >= 0:
            if heading not in limiting_headings:
                limiting_headings[heading] = _names_a_limit(reader, reader.headings[heading].words)
            if limiting_headings[heading]:
                counter_words += stop - first
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


class _CounterMarkers(NamedTuple):
    """The sentences with a contrast word, a word naming a limit, a contrast phrase's opener."""

    contrast: set[int]
    limit: set[int]
    phrase: set[int]


def _names_a_limit(reader: _Reader, heading: tuple[str, ...]) -> bool:
    """Whether a heading has a word naming a limit that the answer's words include.

    The heading's words are read as the heading shows them (see segment.Heading), which can
    differ from the answer's tokens ("Seoulʼs"): only the words among the tokens count.
    """
    return any(word in LIMITATIONS and word in reader.norms for word in heading)


def _dimensions(reader: _Reader, directive: str) -> tuple[Check, Note | None]:
    body = {sentence for sentence, _, _, _ in reader.body_sentences}
    found = sorted(
        {
            DIMENSIONS.lookup(reader.norms[index])
            for index in flagged(reader.codes, DIMENSION_WORD)
            if reader.token_sentence[index] in body
        }
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
    body = {sentence for sentence, _, _, _ in reader.body_sentences}
    # Phrases are looked for only in the sentences with a word that can open one.
    openers = reader.sentences_with(PHRASE_OPENER)
    phrased = [
        reader.norms[first:stop]
        for sentence, first, stop, _ in reader.body_sentences
        if sentence in openers
    ]
    stance = not body.isdisjoint(reader.sentences_with(STANCE_WORD)) or any(
        _has_phrase(words, STANCE_PHRASES) for words in phrased
    )
    reason = not body.isdisjoint(reader.sentences_with(REASON_WORD)) or any(
        _has_phrase(words, REASON_PHRASES) for words in phrased
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


def _is_counterpoint(words: tuple[str, ...], sentence: int, markers: _CounterMarkers) -> bool:
    """A sentence with a contrast ("however") or a word naming a limit."""
    # "not only ... but also" adds, it does not contrast.
    if sentence in markers.contrast and (
        CONTRAST_WORDS.intersection(words) != {"but"} or not _contains(words, ("but", "also"))
    ):
        return True
    if sentence in markers.limit:
        return True
    return sentence in markers.phrase and _has_phrase(words, CONTRAST_PHRASES)


def _has_phrase(words: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(_contains(words, phrase) for phrase in phrases if phrase[0] in words)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    # Where the phrase's first word is, found by a C-level scan; then compare the whole phrase.
    starts = compress(range(len(words) - size + 1), map(eq, words, repeat(phrase[0])))
    return any(words[index : index + size] == phrase for index in starts)


def _starts_with(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return tuple(words[: len(phrase)]) == phrase


def _failed(name: str, detail: str, advice: str) -> tuple[Check, Note]:
    return Check(name, False, detail, 0.0), Note(Priority.LAYOUT, 0, advice)
