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
from collections.abc import Iterator
from itertools import chain, count, repeat
from operator import itemgetter
from typing import NamedTuple

from .lexicon import CONCLUSION_HEADINGS, INTRODUCTION_HEADINGS
from .normalise import WORD_RE, normalise_word

MAX_HEADING_WORDS = 8
TERMINATORS = ".!?।॥"

# A line without the white space around it: from its first to its last visible character.
# (Line breaks are white space, so the match never runs past the end of the line.)
_LINE_RE = re.compile(r"\S(?:[^\n\r\u2028\u2029\x0b\x0c\x85]*\S)?")
# The same for text with no line break but "\n": "." stops only there, and is much quicker.
_NEWLINE_LINE_RE = re.compile(r"\S(?:.*\S)?")
_MARKDOWN_HEADING_RE = re.compile(r"#{1,6}\s+")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+)\1")
_BULLET_SYMBOLS = "-*+•‣◦▪▫●○■□➢➤►▸✓✔–—"
_BULLET_RE = re.compile(
    rf"(?:[{_BULLET_SYMBOLS}]|\(?(?:\d{{1,2}}|[a-zA-Z]|[ivxIVX]{{1,4}})[.)])\s+"
)
# Marks that end a sentence or a clause are found with the white space after them (group 1),
# to know where the next sentence or clause starts.
# A run of sentence-final punctuation, with any closing quotes or brackets, before a space.
_SENTENCE_END_RE = re.compile(r"[.!?।॥]+[\"'’”)\]]*(?=(\s+))")
# A comma, semicolon or colon before a space, or a dash set off by spaces (one or two dashes),
# ends a clause. The pattern opens with the punctuation mark, not the space before a dash, so
# that the regex engine skips from one mark to the next instead of stopping at every space;
# _clause_breaks moves the start of a dash's break back to its space.
_CLAUSE_BREAK_RE = re.compile(r"[,;:\-–—](?:(?<=[,;:])(?=\s)|(?<=\s[-–—])[-–—]?\s)(?=(\s*))")
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


# The layout and its sentences, units, headings and lines are plain named tuples: an answer
# has hundreds of them, and a frozen dataclass costs several times as much to build.


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


class Layout(NamedTuple):
    sentences: tuple[Sentence, ...]
    units: tuple[Unit, ...]
    headings: tuple[Heading, ...]
    # Every clause of every sentence, in text order: offsets and the sentence it belongs to.
    clause_starts: tuple[int, ...]
    clause_ends: tuple[int, ...]
    clause_sentence: tuple[int, ...]


# A classified line: (start, end, kind), where start is after any bullet or heading mark. A
# plain tuple: building a named tuple costs many times as much, for every line of every answer.
_Line = tuple[int, int, Kind]


def analyse_layout(text: str) -> Layout:
    """Headings, units (paragraphs and bullets) and sentences of a text, in order."""
    sentences: list[Sentence] = []
    units: list[Unit] = []
    headings: list[Heading] = []
    # Each pattern runs once over the whole text; a sentence then looks up its own marks.
    sentence_ends = _sentence_ends(text)
    clause_breaks = _clause_breaks(text)
    for line_start, line_end, kind in _merge_wrapped_lines(text, _classify_lines(text)):
        if kind is Kind.HEADING:
            words = tuple(map(normalise_word, WORD_RE.findall(text, line_start, line_end)))
            headings.append(Heading(line_start, line_end, words))
            clauses = ((line_start, line_end),)
            sentences.append(Sentence(line_start, line_end, kind, -1, clauses))
            continue
        unit_index = len(units)
        units.append(Unit(line_start, line_end, kind, len(headings) - 1))
        for start, end in split_sentences(text, line_start, line_end, sentence_ends):
            clauses = split_clauses(text, start, end, clause_breaks)
            sentences.append(Sentence(start, end, kind, unit_index, clauses))
    clause_counts = [len(sentence.clauses) for sentence in sentences]
    clauses = list(chain.from_iterable(sentence.clauses for sentence in sentences))
    return Layout(
        sentences=tuple(sentences),
        units=tuple(units),
        headings=tuple(headings),
        clause_starts=tuple(map(itemgetter(0), clauses)),
        clause_ends=tuple(map(itemgetter(1), clauses)),
        clause_sentence=tuple(chain.from_iterable(map(repeat, count(), clause_counts))),
    )


def _classify_lines(text: str) -> list[_Line]:
    # The lines with a word in them; most open with one, which spares the search.
    spans = [
        (start, end)
        for start, end in _line_spans(text)
        if text[start].isalnum() or WORD_RE.search(text, start, end)
    ]
    next_starts: list[int | None] = [start for start, _ in spans[1:]]
    next_starts.append(None)  # the last line has none
    return [
        _classify_line(text, start, end, next_start)
        for (start, end), next_start in zip(spans, next_starts, strict=bool(spans))
    ]


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    if text.isascii() and "\x0b" not in text and "\x0c" not in text:
        # Then "\n" is the only line break once "\r" is read as one (both are white space,
        # so a same-length swap), and "." stops there: a much quicker pattern.
        return map(re.Match.span, _NEWLINE_LINE_RE.finditer(text.replace("\r", "\n")))
    return map(re.Match.span, _LINE_RE.finditer(text))


def _classify_line(text: str, start: int, end: int, next_start: int | None) -> _Line:
    has_next = next_start is not None
    first = text[start]  # a line can only be marked up as a heading by its first character
    marker = _MARKDOWN_HEADING_RE.match(text, start, end) if first == "#" else None
    if marker:
        return (*_strip(text, marker.end(), end), Kind.HEADING)
    emphasis = _EMPHASIS_RE.fullmatch(text, start, end) if first in "*_" else None
    if emphasis and has_next and _is_heading_shaped(text, *emphasis.span(2)):
        return (*emphasis.span(2), Kind.HEADING)
    bullet = _BULLET_RE.match(text, start, end) if _may_open_with_bullet(text, start) else None
    if bullet:
        content_start, content_end = _strip(text, bullet.end(), end)
        # "1. Introduction" or "- Limits:" is a numbered heading, not a point.
        if has_next and _is_named_section(text, content_start, content_end):
            return (content_start, content_end, Kind.HEADING)
        return (content_start, content_end, Kind.BULLET)
    if (
        has_next
        and _is_heading_shaped(text, start, end)
        and not _starts_lowercase(text, next_start)
    ):
        return (start, end, Kind.HEADING)
    return (start, end, Kind.PROSE)


def _may_open_with_bullet(text: str, start: int) -> bool:
    """False for a line that _BULLET_RE cannot match, found without running it.

    A bullet is a symbol, or a number or letter closed by "." or ")" in the first six
    characters of the line.
    """
    head = text[start : start + 6]
    return head[0] in _BULLET_SYMBOLS or "." in head or ")" in head


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
    for start, end, kind in lines:
        if (
            merged
            and kind is Kind.PROSE
            and merged[-1][2] is not Kind.HEADING
            and text[merged[-1][1] - 1] not in TERMINATORS
            and _starts_lowercase(text, start)
        ):
            previous_start, _, previous_kind = merged.pop()
            start, kind = previous_start, previous_kind
        merged.append((start, end, kind))
    return merged


class _Marks:
    """Marks found in a text, in order, for quick lookup of the marks inside a stretch.

    Each mark is (start, end, resume): ``resume`` is where the white space after it ends.
    """

    def __init__(self, marks: list[tuple[int, int, int]]) -> None:
        self.starts = list(map(itemgetter(0), marks))
        self.marks = marks

    def within(self, start: int, end: int) -> list[tuple[int, int, int]]:
        return self.marks[bisect_left(self.starts, start) : bisect_left(self.starts, end)]


def _sentence_ends(text: str) -> _Marks:
    if text.isascii() and "!" not in text and "?" not in text:
        # Every sentence end then starts at a full stop: jumping from one to the next with
        # str.find is several times quicker than the pattern's search of every character.
        matches = []
        position = text.find(".")
        while position >= 0:
            match = _SENTENCE_END_RE.match(text, position)
            if match:
                matches.append(match)
            position = text.find(".", match.end() if match else position + 1)
    else:
        matches = list(_SENTENCE_END_RE.finditer(text))
    return _Marks([(*match.span(), match.end(1)) for match in matches])


def _clause_breaks(text: str) -> _Marks:
    marks: list[tuple[int, int, int]] = []
    for match in _CLAUSE_BREAK_RE.finditer(text):
        start, end = match.span()
        if text[start] not in ",;:":
            start -= 1  # a dash: the break starts at the space before it
            if marks and start < marks[-1][1]:
                continue  # that space closed the previous break ("a -- - b"): not a break
        marks.append((start, end, match.end(1)))
    return _Marks(marks)


def split_sentences(
    text: str, start: int, end: int, marks: _Marks | None = None
) -> list[tuple[int, int]]:
    """Sentences of one paragraph or bullet, as (start, end) offsets."""
    marks = marks or _sentence_ends(text)
    sentences = []
    sentence_start = start
    for mark_start, boundary, resume in marks.within(start, end):
        if boundary > end or resume >= end:
            break
        if text[resume].islower() or _is_abbreviation(text, sentence_start, mark_start):
            continue
        sentences.append((sentence_start, boundary))
        sentence_start = resume
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
    marks = marks or _clause_breaks(text)
    clauses = []
    clause_start = start
    for break_start, break_end, resume in marks.within(start, end):
        if break_end > end:
            break
        if clause_start < break_start:
            clauses.append((clause_start, break_start))
        clause_start = min(resume, end)
    if clause_start < end:
        clauses.append((clause_start, end))
    return tuple(clauses) or ((start, end),)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def readable_text(text: str, layout: Layout) -> str:
    """The text as the readability formulas should see it: one sentence per heading or bullet.

    textstat finds sentences by their full stops, so a heading or a bullet without one would
    run into the next sentence and inflate every per-sentence measure.
    """
    pieces = [text[sentence.start : sentence.end].strip() for sentence in layout.sentences]
    for index, piece in enumerate(pieces):
        if piece[-1] not in ".!?":  # no piece is blank: a sentence has a word
            pieces[index] = piece.rstrip(TERMINATORS + ":;,") + "."
    # White space is collapsed once, over the whole: the same as piece by piece. Printable text
    # has no white space but the plain space, so with no two in a row there is nothing to do.
    readable = " ".join(pieces)
    if readable.isprintable() and "  " not in readable:
        return readable
    return " ".join(readable.split())
