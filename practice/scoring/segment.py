"""The layout of an answer: headings, paragraphs and bullets, sentences and clauses.

Answers are written in a browser text box, so the layout is carried by line breaks: a short
line without a full stop that is followed by more text is a heading; a line that opens with a
bullet mark ("-", "*", "•", "1.", "a)") is a bullet; anything else is prose. A heading or a
bullet is a sentence of its own even without a full stop, which is what an examiner reads
and what keeps readability formulas from fusing a heading with the sentence after it.

All offsets index the original text.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from .lexicon import CONCLUSION_HEADINGS, INTRODUCTION_HEADINGS
from .normalise import WORD_RE, normalise_word

MAX_HEADING_WORDS = 8
TERMINATORS = ".!?।॥"

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
_MARKDOWN_HEADING_RE = re.compile(r"#{1,6}\s+")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+)\1")
_BULLET_RE = re.compile(r"(?:[-*+•‣◦▪▫●○■□➢➤►▸✓✔–—]|\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s+")
# A run of sentence-final punctuation, with any closing quotes or brackets, before a space.
_SENTENCE_END_RE = re.compile(r"[.!?।॥]+[\"'’”)\]]*(?=\s)")
# A comma, semicolon or colon before a space, or a dash set off by spaces, ends a clause.
_CLAUSE_BREAK_RE = re.compile(r"[,;:](?=\s)|\s[-–—]{1,2}\s")
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """dr mr mrs ms st vs no nos rs govt approx fig cf e.g eg i.e ie viz
    jr sr prof gen lt col""".split()
)
_SECTION_NAMES = INTRODUCTION_HEADINGS | CONCLUSION_HEADINGS


class Kind(enum.Enum):
    PROSE = "prose"
    BULLET = "bullet"
    HEADING = "heading"


# Sentences, units, headings and lines are plain named tuples: an answer has hundreds of them
# and a frozen dataclass costs several times as much to build.


class Sentence(NamedTuple):
    start: int
    end: int
    kind: Kind
    unit: int  # index into Layout.units; -1 for a heading
    clauses: tuple[tuple[int, int], ...]


class Unit(NamedTuple):
    """A paragraph or a bullet: one block the examiner reads as one point."""

    start: int
    end: int
    kind: Kind
    heading: int  # index into Layout.headings of the heading it sits under; -1 for none


class Heading(NamedTuple):
    start: int
    end: int
    words: tuple[str, ...]  # normalised


@dataclass(frozen=True, slots=True)
class Layout:
    sentences: tuple[Sentence, ...]
    units: tuple[Unit, ...]
    headings: tuple[Heading, ...]
    # Every clause of every sentence, in text order: offsets and the sentence it belongs to.
    clause_starts: tuple[int, ...]
    clause_ends: tuple[int, ...]
    clause_sentence: tuple[int, ...]


class _Line(NamedTuple):
    start: int  # content start, after any bullet or heading mark
    end: int
    kind: Kind


def analyse_layout(text: str) -> Layout:
    """Headings, units (paragraphs and bullets) and sentences of a text, in order."""
    sentences: list[Sentence] = []
    units: list[Unit] = []
    headings: list[Heading] = []
    # Each pattern runs once over the whole text; a sentence then looks up its own marks.
    sentence_ends = _Marks(_SENTENCE_END_RE, text)
    clause_breaks = _Marks(_CLAUSE_BREAK_RE, text)
    for line in _merge_wrapped_lines(text, _classify_lines(text)):
        if line.kind is Kind.HEADING:
            words = tuple(map(normalise_word, WORD_RE.findall(text, line.start, line.end)))
            headings.append(Heading(line.start, line.end, words))
            clauses = ((line.start, line.end),)
            sentences.append(Sentence(line.start, line.end, Kind.HEADING, -1, clauses))
            continue
        unit_index = len(units)
        units.append(Unit(line.start, line.end, line.kind, len(headings) - 1))
        for start, end in split_sentences(text, line.start, line.end, sentence_ends):
            clauses = split_clauses(text, start, end, clause_breaks)
            sentences.append(Sentence(start, end, line.kind, unit_index, clauses))
    clause_sentence = [index for index, s in enumerate(sentences) for _ in s.clauses]
    return Layout(
        sentences=tuple(sentences),
        units=tuple(units),
        headings=tuple(headings),
        clause_starts=tuple(start for s in sentences for start, _ in s.clauses),
        clause_ends=tuple(end for s in sentences for _, end in s.clauses),
        clause_sentence=tuple(clause_sentence),
    )


def _classify_lines(text: str) -> list[_Line]:
    spans = []
    for match in _LINE_RE.finditer(text):
        start, end = _strip(text, *match.span())
        if start < end and WORD_RE.search(text, start, end):
            spans.append((start, end))
    lines = []
    for index, (start, end) in enumerate(spans):
        next_start = spans[index + 1][0] if index + 1 < len(spans) else None
        lines.append(_classify_line(text, start, end, next_start))
    return lines


def _classify_line(text: str, start: int, end: int, next_start: int | None) -> _Line:
    has_next = next_start is not None
    marker = _MARKDOWN_HEADING_RE.match(text, start, end)
    if marker:
        return _Line(*_strip(text, marker.end(), end), Kind.HEADING)
    emphasis = _EMPHASIS_RE.fullmatch(text, start, end)
    if emphasis and has_next and _is_heading_shaped(text, *emphasis.span(2)):
        return _Line(*emphasis.span(2), Kind.HEADING)
    bullet = _BULLET_RE.match(text, start, end)
    if bullet:
        content_start, content_end = _strip(text, bullet.end(), end)
        # "1. Introduction" or "- Limits:" is a numbered heading, not a point.
        if has_next and _is_named_section(text, content_start, content_end):
            return _Line(content_start, content_end, Kind.HEADING)
        return _Line(content_start, content_end, Kind.BULLET)
    if (
        has_next
        and _is_heading_shaped(text, start, end)
        and not _starts_lowercase(text, next_start)
    ):
        return _Line(start, end, Kind.HEADING)
    return _Line(start, end, Kind.PROSE)


def _is_heading_shaped(text: str, start: int, end: int) -> bool:
    """Short, not ending like a sentence, not starting like the middle of one."""
    last = text[end - 1]
    if last in TERMINATORS or last in ",;" or _starts_lowercase(text, start):
        return False
    return len(WORD_RE.findall(text, start, end)) <= MAX_HEADING_WORDS


def _is_named_section(text: str, start: int, end: int) -> bool:
    if start >= end:
        return False
    if text[end - 1] == ":" and _is_heading_shaped(text, start, end - 1):
        return True
    words = WORD_RE.findall(text, start, end)
    return 0 < len(words) <= 3 and normalise_word(words[0]) in _SECTION_NAMES


def _starts_lowercase(text: str, index: int) -> bool:
    return text[index].islower()


def _merge_wrapped_lines(text: str, lines: list[_Line]) -> list[_Line]:
    """Join hard-wrapped prose: a line with no end punctuation, then one starting lowercase."""
    merged: list[_Line] = []
    for line in lines:
        if (
            merged
            and line.kind is Kind.PROSE
            and merged[-1].kind is not Kind.HEADING
            and text[merged[-1].end - 1] not in TERMINATORS
            and _starts_lowercase(text, line.start)
        ):
            previous = merged.pop()
            line = _Line(previous.start, line.end, previous.kind)
        merged.append(line)
    return merged


class _Marks:
    """Where a pattern matches in a text, for quick lookup of the matches inside a stretch."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        spans = [match.span() for match in pattern.finditer(text)]
        self.starts = [start for start, _ in spans]
        self.spans = spans

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        return self.spans[bisect_left(self.starts, start) : bisect_left(self.starts, end)]


def split_sentences(
    text: str, start: int, end: int, marks: _Marks | None = None
) -> list[tuple[int, int]]:
    """Sentences of one paragraph or bullet, as (start, end) offsets."""
    marks = marks or _Marks(_SENTENCE_END_RE, text)
    sentences = []
    sentence_start = start
    for mark_start, boundary in marks.within(start, end):
        if boundary > end:
            break
        next_start = _skip_space(text, boundary, end)
        if next_start >= end:
            break
        if _starts_lowercase(text, next_start) or _is_abbreviation(
            text, sentence_start, mark_start
        ):
            continue
        sentences.append((sentence_start, boundary))
        sentence_start = next_start
    sentences.append((sentence_start, end))
    return sentences


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > start and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    # A single letter is an initial ("U.S.", "A. P. J. Abdul Kalam").
    return len(word.replace(".", "")) == 1 or word in _ABBREVIATIONS


def split_clauses(
    text: str, start: int, end: int, marks: _Marks | None = None
) -> tuple[tuple[int, int], ...]:
    """Clauses of a sentence: the stretches between commas, semicolons, colons and dashes."""
    marks = marks or _Marks(_CLAUSE_BREAK_RE, text)
    clauses = []
    clause_start = start
    for break_start, break_end in marks.within(start, end):
        if break_end > end:
            break
        if clause_start < break_start:
            clauses.append((clause_start, break_start))
        clause_start = _skip_space(text, break_end, end)
    if clause_start < end:
        clauses.append((clause_start, end))
    return tuple(clauses) or ((start, end),)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _skip_space(text: str, index: int, end: int) -> int:
    while index < end and text[index].isspace():
        index += 1
    return index


def readable_text(text: str, layout: Layout) -> str:
    """The text as the readability formulas should see it: one sentence per heading or bullet.

    textstat finds sentences by their full stops, so a heading or a bullet without one would
    run into the next sentence and inflate every per-sentence measure.
    """
    parts = []
    for sentence in layout.sentences:
        piece = " ".join(text[sentence.start : sentence.end].split())
        if piece and piece[-1] not in ".!?":
            piece = piece.rstrip(TERMINATORS + ":;,") + "."
        parts.append(piece)
    return " ".join(parts)
