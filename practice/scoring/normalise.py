"""Tokens, normalised word forms and stems.

Every mechanism sees the answer as the same list of tokens. A token keeps the character
offsets of the word in the original text, so that evidence can be highlighted exactly where
the student wrote it, whatever normalisation the matching needed.

Normalisation: Unicode NFKC (full-width letters, ligatures) and case folding. Apostrophes of
any shape (' ’ ʼ) mark possessives, which are dropped ("China's" -> "china"). Dashes, hyphens
and non-breaking spaces separate words; whether two words were joined by a hyphen or a single
space is kept, because "inter-operability" must still match "interoperability".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, chain, compress
from typing import NamedTuple, TypeVar

import snowballstemmer

# A word is a run of letters or digits. Python's \w leaves out the vowel signs and viramas of
# Indic scripts (they are combining marks, not letters), which would cut a Devanagari word
# into pieces, so the Indic blocks, Latin combining accents and the zero-width joiners used in
# Indic text are added. The danda (U+0964/U+0965) is punctuation and stays out.
_WORD_CHARS = r"[^\W_]|[\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u200c\u200d]"
WORD_RE = re.compile(rf"(?:{_WORD_CHARS})+")

APOSTROPHES = frozenset("'’ʼ‘`")
# Characters that join two halves of one word ("Act-East", "K-9"): the ASCII hyphen-minus,
# the Unicode hyphens and dashes, and the minus sign.
HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad")


class Token(NamedTuple):
    """One word of the text: its offsets in the original string and its normalised form."""

    start: int
    end: int
    norm: str


def normalise_word(raw: str) -> str:
    """Fold case and compatibility forms so that visually equal words compare equal."""
    if raw.isascii():
        return raw.lower()
    return unicodedata.normalize("NFKC", raw).casefold()


# Each word with the stretch of other characters before it. Reading the text as (gap, word)
# pairs with findall, adding up lengths for the offsets, is about twice as fast as one match
# object per word, and tokenising is a large share of the engine's own work. The two classes
# are complements, so no character is ever skipped; an underscore, which \w counts as a word
# character, is split off afterwards.
_WORD_CLASS = r"\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u200c\u200d"
_GAP_WORD_RE = re.compile(rf"([^{_WORD_CLASS}]*)([{_WORD_CLASS}]+)")


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens, dropping the "s" of possessives ("Korea's" -> "korea")."""
    starts, ends, norms = token_arrays(text)
    return list(map(Token, starts, ends, norms))


def token_arrays(text: str) -> tuple[list[int], list[int], list[str]]:
    """The tokens of a text as three parallel lists: start offsets, end offsets, norms.

    An answer has thousands of words, so the work per word is done by C-level builtins
    (findall, accumulate, map) rather than a Python loop; the rare cases that need one
    (possessives, underscores) are handled in a second pass only when they occur.
    """
    # Lowering ASCII keeps every offset, so ASCII text is folded whole; other text is folded
    # word by word. U+02BC (ʼ) is a letter to the regex engine but an apostrophe to a writer
    # ("Seoulʼs"), so it is read as one (a same-length replacement: offsets are kept).
    folded = text.isascii()
    pairs = _GAP_WORD_RE.findall(text.lower() if folded else text.replace("\u02bc", "'"))
    if not pairs:
        return [], [], []
    gaps, words = zip(*pairs, strict=True)
    lengths = chain.from_iterable(zip(map(len, gaps), map(len, words), strict=True))
    offsets = list(accumulate(lengths, initial=0))
    starts, ends = offsets[1::2], offsets[2::2]
    norms = list(words) if folded else list(map(normalise_word, words))
    if "_" in text:
        starts, ends, norms = _split_underscores(starts, ends, norms)
    if "s" in norms:
        starts, ends, norms = _drop_possessives(text, starts, ends, norms)
    return starts, ends, norms


def _drop_possessives(
    text: str, starts: list[int], ends: list[int], norms: list[str]
) -> tuple[list[int], list[int], list[str]]:
    """Drop the "s" of "Korea's": an "s" right after an apostrophe that follows a letter."""
    keep = bytearray(b"\x01") * len(norms)
    for index in [i for i, norm in enumerate(norms) if norm == "s"]:
        start = starts[index]
        if start > 1 and text[start - 1] in APOSTROPHES and text[start - 2].isalnum():
            keep[index] = 0
    return list(compress(starts, keep)), list(compress(ends, keep)), list(compress(norms, keep))


def _split_underscores(
    starts: list[int], ends: list[int], norms: list[str]
) -> tuple[list[int], list[int], list[str]]:
    """Split words at underscores, which the tokenising pattern counts as letters."""
    split: tuple[list[int], list[int], list[str]] = ([], [], [])
    for start, end, norm in zip(starts, ends, norms, strict=True):
        if "_" not in norm:
            parts = [(start, end, norm)]
        else:
            parts = [
                (start + m.start(), start + m.end(), m.group()) for m in _PIECE_RE.finditer(norm)
            ]
        for part in parts:
            for values, value in zip(split, part, strict=True):
                values.append(value)
    return split


_PIECE_RE = re.compile(r"[^_]+")


def is_joinable_gap(gap: str) -> bool:
    """True when two words are separated only by a hyphen, a dash or one space.

    Such a pair may be one word written apart ("inter-operability", "K 9").
    """
    return len(gap) == 1 and (gap in HYPHENS or gap.isspace())


_LOCAL = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # A snowball stemmer keeps its working string on the instance, so it is not safe to share
    # between threads (a threaded WSGI worker scores several answers at once).
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The snowball (Porter 2) English stem of a normalised word.

    Memoised: the pure-Python stemmer costs about 20 microseconds a word, and the vocabulary of
    answers on one subject repeats a great deal.
    """
    return _stemmer().stemWord(word)


def words_of(phrase: str) -> list[str]:
    """The normalised words of a short phrase (an alias, a heading, a directive)."""
    return [token.norm for token in tokenize(phrase)]


# A whitespace-separated piece with no letter or digit in it: a dash, a bullet mark, "&".
_WORDLESS_PIECE_RE = re.compile(r"(?<!\S)(?:[^\s\w]|_)+(?!\S)")


def count_words(text: str) -> int:
    """Words as a student counts them: whitespace-separated pieces holding a letter or digit.

    "co-production" and "L&T" are one word each; a lone dash or bullet mark is none. A web
    page can mirror this with text.split(/\\s+/).filter(w => /[\\p{L}\\p{N}]/u.test(w)).
    """
    return len(text.split()) - len(_WORDLESS_PIECE_RE.findall(text))


_NO_STEM = ""  # remembered for a word with none of the stems (None means "not looked up")


class StemSet:
    """A set of stems that answers "does this word have one of these stems?" cheaply.

    Stemming every word of an answer would cost more than all the rest of the analysis, so a
    word is stemmed only when it could have a stem of the set. A snowball stem is the word
    with its ending rewritten, so all but the stem's last letter is a prefix of the word
    (policies -> polici, hoping -> hope); words without such a prefix are skipped unstemmed.
    Stems of three letters or fewer need only their first two letters. The algorithm's few
    irregular forms (dying -> die, lying -> lie) are missed; no rubric term depends on them.
    """

    __slots__ = ("_values", "_prefixes", "_memo")

    def __init__(self, stems: dict[str, str]) -> None:
        """``stems`` maps each stem to the value returned for words with that stem."""
        self._values = dict(stems)
        prefixes: dict[str, set[str]] = {}
        for item in stems:
            prefix = item[:-1] if len(item) > 3 else item[:2]
            prefixes.setdefault(prefix[:2], set()).add(prefix)
        self._prefixes = {key: tuple(sorted(group)) for key, group in prefixes.items()}
        self._memo = WordMemo()

    def lookup(self, word: str) -> str | None:
        """The value for the stem of ``word`` (a normalised word), or None."""
        value = self._memo.get(word)
        if value is None:
            value = self._memo.put(word, self._lookup(word) or _NO_STEM)
        return value or None

    def members(self, words: Iterable[str]) -> set[str]:
        """The words (normalised) that have a stem of the set."""
        words = list(words)
        values = list(map(self._memo.get, words))  # read once: another thread may clear it
        for index in [i for i, value in enumerate(values) if value is None]:
            values[index] = self.lookup(words[index])
        return {word for word, value in zip(words, values, strict=True) if value}

    def _lookup(self, word: str) -> str | None:
        value = self._values.get(word)
        if value is not None:
            return value
        candidates = self._prefixes.get(word[:2])
        if candidates is None or not any(word.startswith(prefix) for prefix in candidates):
            return None
        return self._values.get(stem(word))

    def __contains__(self, word: str) -> bool:
        return self.lookup(word) is not None

    def clear_memo(self) -> None:
        self._memo.clear()


_V = TypeVar("_V")


class WordMemo(dict):
    """A memo of per-word results, emptied when it reaches LIMIT entries.

    Answers on one subject share most of their vocabulary, so word-level results are worth
    keeping across answers; the limit bounds memory in a long-running server. Dictionary reads
    and writes are atomic in CPython, so threads at worst compute a word twice.
    """

    LIMIT = 50_000
    MISSING = object()

    def put(self, key: str, value: _V) -> _V:
        """Remember ``value`` for ``key`` and return it."""
        if len(self) >= self.LIMIT:
            self.clear()
        self[key] = value
        return value
