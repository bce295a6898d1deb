"""Tokens, normal forms, word counts and stems."""

from practice.scoring.normalise import (
    StemSet,
    count_words,
    is_joinable_gap,
    normalise_word,
    stem,
    tokenize,
    words_of,
)


def spans(text):
    return [(text[t.start : t.end], t.norm) for t in tokenize(text)]


def test_tokens_keep_offsets_of_the_original_text():
    text = "India’s  Act-East\u00a0Policy"
    assert spans(text) == [
        ("India", "india"),
        ("Act", "act"),
        ("East", "east"),
        ("Policy", "policy"),
    ]


def test_possessive_s_is_dropped_with_any_apostrophe():
    assert words_of("China's rise, Korea’s pivot, Seoulʼs caution") == [
        "china",
        "rise",
        "korea",
        "pivot",
        "seoul",
        "caution",
    ]


def test_a_lone_s_is_still_a_word():
    assert words_of("the letter s and 's") == ["the", "letter", "s", "and", "s"]


def test_unicode_compatibility_forms_fold():
    assert normalise_word("ＡＢＣ") == "abc"
    assert normalise_word("ﬁne") == "fine"
    assert normalise_word("STRASSE") == normalise_word("straße")


def test_underscores_split_words():
    assert words_of("snake_case") == ["snake", "case"]


def test_devanagari_words_stay_whole():
    assert words_of("भारत और दक्षिण कोरिया") == ["भारत", "और", "दक्षिण", "कोरिया"]


def test_word_count_counts_pieces_with_letters_or_digits():
    assert count_words("co-production by L&T — 2019") == 4
    assert count_words("- first point\n- second point") == 4
    assert count_words("  \n ") == 0


def test_joinable_gaps_are_one_hyphen_dash_or_space():
    assert is_joinable_gap("-")
    assert is_joinable_gap("\u2013")
    assert is_joinable_gap(" ")
    assert not is_joinable_gap(", ")
    assert not is_joinable_gap("  ")


def test_stem_conflates_inflections():
    assert stem("policies") == stem("policy")
    assert stem("exchanges") == stem("exchange")
    assert stem("agreements") == stem("agreement")


def test_stem_set_finds_inflected_words_and_skips_others():
    stems = StemSet({stem("limitation"): "limit", stem("challenge"): "challenge"})
    assert stems.lookup("limitations") == "limit"
    assert stems.lookup("challenging") == "challenge"
    assert stems.lookup("policy") is None
    assert stems.members({"limits", "china", "challenges"}) == {"limits", "challenges"}
