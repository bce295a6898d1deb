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
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import add, eq
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
    (translate, split, findall, accumulate, map) rather than a Python loop; the rare cases
    that need one (possessives, underscores) are handled in a second pass only when they occur.
    """
    if text.isascii():
        return _ascii_token_arrays(text)
    return _unicode_token_arrays(text)


def fold_ascii(text: str) -> str:
    """ASCII text with its words in place and normalised, and a space for every other character.

    In ASCII text the word characters are the letters and digits (an underscore splits words),
    so after folding, the words of any stretch of the text are ``folded[start:end].split()``:
    several times faster than the tokenising pattern, and with no offsets to compute. The "s"
    of a possessive ("Korea's") is blanked too. Done on bytes, whose translate is a table
    lookup per character.
    """
    lowered = text.encode("ascii").lower()
    folded = lowered.translate(_ASCII_FOLD)
    if b"'s" in lowered or b"`s" in lowered:
        folded = bytearray(folded)
        for index in _possessive_esses(lowered):
            folded[index] = 32  # a space
    return folded.decode("ascii")


# Lowercase ASCII letters and digits stay, any other byte becomes a space.
_ASCII_FOLD = bytes(code if chr(code).isalnum() and code < 128 else 32 for code in range(256))


def _possessive_esses(lowered: bytes) -> Iterator[int]:
    """Where the "s" of a possessive is: after an apostrophe that follows a letter or digit."""
    for mark in (b"'s", b"`s"):
        index = lowered.find(mark)
        while index >= 0:
            if index and lowered[index - 1 : index].isalnum():
                if not lowered[index + 2 : index + 3].isalnum():  # the "s" ends the word
                    yield index + 1
            index = lowered.find(mark, index + 2)


def _ascii_token_arrays(text: str) -> tuple[list[int], list[int], list[str]]:
    # Splitting the folded text at each space gives its words, and empty strings for the other
    # characters: piece ``i`` starts after ``i`` spaces and the pieces before it.
    pieces = fold_ascii(text).split(" ")
    offsets = map(add, accumulate(map(len, pieces), initial=0), count())
    starts = list(compress(offsets, pieces))
    norms = list(filter(None, pieces))
    return starts, list(map(add, starts, map(len, norms))), norms


def _unicode_token_arrays(text: str) -> tuple[list[int], list[int], list[str]]:
    # U+02BC (ʼ) is a letter to the regex engine but an apostrophe to a writer ("Seoulʼs"),
    # so it is read as one (a same-length replacement: offsets are kept). Words are folded
    # one by one, since folding the whole text could change its length.
    pairs = _GAP_WORD_RE.findall(text.replace("\u02bc", "'"))
    if not pairs:
        return [], [], []
    gaps, words = zip(*pairs, strict=True)
    lengths = chain.from_iterable(zip(map(len, gaps), map(len, words), strict=True))
    offsets = list(accumulate(lengths, initial=0))
    starts, ends = offsets[1::2], offsets[2::2]
    norms = list(map(normalise_word, words))
    if "_" in text:
        starts, ends, norms = _split_underscores(starts, ends, norms)
    if "s" in norms:
        starts, ends, norms = _drop_possessives(text, starts, ends, norms)
    return starts, ends, norms


def _drop_possessives(
    text: str, starts: list[int], ends: list[int], norms: list[str]
) -> tuple[list[int], list[int], list[str]]:
    """Drop the "s" of "Korea's": an "s" right after an apostrophe that follows a letter."""
    dropped = [
        index
        for index in compress(count(), map(eq, norms, repeat("s")))
        if (start := starts[index]) > 1
        and text[start - 1] in APOSTROPHES
        and text[start - 2].isalnum()
    ]
    for index in reversed(dropped):  # from the end, so that the other indices stay valid
        del starts[index], ends[index], norms[index]
    return starts, ends, norms


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
    if text.isascii():
        # Letters and digits become "x", white space " ", and anything else is deleted, which
        # leaves one run of x for each piece holding a letter or digit: count where runs start.
        marked = text.encode("ascii").translate(_ASCII_WORD_MARKS, _ASCII_WORDLESS)
        return marked.count(b" x") + marked.startswith(b"x")
    return len(text.split()) - len(_WORDLESS_PIECE_RE.findall(text))


_ASCII_WORD_MARKS = bytes(
    ord("x") if chr(code).isalnum() else ord(" ") if chr(code).isspace() else code
    for code in range(256)
)
_ASCII_WORDLESS = bytes(
    code for code in range(128) if not (chr(code).isalnum() or chr(code).isspace())
)


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
        # Per word: the value, or "" for a word with none of the stems.
        self._memo = WordMemo(self._value)

    def lookup(self, word: str) -> str | None:
        """The value for the stem of ``word`` (a normalised word), or None."""
        return self._memo[word] or None

    def members(self, words: Iterable[str]) -> set[str]:
        """The words (normalised) that have a stem of the set."""
        words = list(words)
        return set(compress(words, self.values_of(words)))

    def values_of(self, words: Iterable[str]) -> list[str]:
        """``lookup`` of each word (normalised), with "" rather than None for no stem."""
        return list(map(self._memo.__getitem__, words))

    def _value(self, word: str) -> str:
        value = self._values.get(word)
        if value is not None:
            return value
        candidates = self._prefixes.get(word[:2])
        if candidates is None or not any(word.startswith(prefix) for prefix in candidates):
            return ""
        return self._values.get(stem(word), "")

    def __contains__(self, word: str) -> bool:
        return bool(self._memo[word])

    def clear_memo(self) -> None:
        self._memo.clear()


_V = TypeVar("_V")


class WordMemo(dict[str, _V]):
    """A memo of one result per word, worked out by ``compute`` the first time it is asked.

    Read it as ``memo[word]`` or ``map(memo.__getitem__, words)``: a word not seen before is
    computed on the way (by __missing__), so a whole text is looked up by one C-level map.
    Answers on one subject share most of their vocabulary, so word-level results are worth
    keeping across answers; the memo is emptied when it reaches LIMIT entries, which bounds
    memory in a long-running server. Dictionary reads and writes are atomic in CPython, so
    threads at worst compute a word twice.
    """

    LIMIT = 50_000

    def __init__(self, compute: Callable[[str], _V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> _V:
        value = self._compute(word)
        if len(self) >= self.LIMIT:
            self.clear()
        self[word] = value
        return value


class WordCodes(WordMemo[int]):
    """A memo of a small code (0 to 255) per word.

    ``of`` gives the codes of a text's words as bytes in one C-level pass, so that a mechanism
    can then scan a whole answer with bytes operations (translate, count, slicing) rather
    than a Python loop over its words.
    """

    def of(self, words: Iterable[str]) -> bytes:
        return bytes(map(self.__getitem__, words))
