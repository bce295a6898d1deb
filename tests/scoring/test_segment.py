"""Headings, bullets, sentences and clauses."""

from practice.scoring.segment import Kind, analyse_layout, readable_text


def layout_of(text):
    layout = analyse_layout(text)
    return [(s.kind, text[s.start : s.end]) for s in layout.sentences]


def test_short_line_before_text_is_a_heading():
    text = (
        "Introduction\nIndia and Korea signed two pacts. Both matter.\n\n"
        "Conclusion\nThey will grow."
    )
    assert layout_of(text) == [
        (Kind.HEADING, "Introduction"),
        (Kind.PROSE, "India and Korea signed two pacts."),
        (Kind.PROSE, "Both matter."),
        (Kind.HEADING, "Conclusion"),
        (Kind.PROSE, "They will grow."),
    ]


def test_bullets_are_sentences_without_their_marks():
    text = (
        "Gains\n- Logistics support at ports\n* Joint exercises\n"
        "1. Co-production of guns\na) Training"
    )
    kinds = layout_of(text)
    assert kinds[0] == (Kind.HEADING, "Gains")
    assert kinds[1:] == [
        (Kind.BULLET, "Logistics support at ports"),
        (Kind.BULLET, "Joint exercises"),
        (Kind.BULLET, "Co-production of guns"),
        (Kind.BULLET, "Training"),
    ]


def test_numbered_section_names_and_markdown_are_headings():
    text = "1. Introduction\nText here.\n## Way forward\nMore text."
    assert [k for k, _ in layout_of(text)] == [Kind.HEADING, Kind.PROSE, Kind.HEADING, Kind.PROSE]


def test_last_short_line_is_prose_not_a_heading():
    assert layout_of("A full sentence here.\nThank you") == [
        (Kind.PROSE, "A full sentence here."),
        (Kind.PROSE, "Thank you"),
    ]


def test_abbreviations_initials_and_decimals_do_not_end_sentences():
    text = "Dr. Singh met U.S. officials, e.g. in Delhi, on 2.5 issues. Then he left."
    assert [t for _, t in layout_of(text)] == [
        "Dr. Singh met U.S. officials, e.g. in Delhi, on 2.5 issues.",
        "Then he left.",
    ]


def test_hard_wrapped_lines_join_into_one_paragraph():
    text = "India and Korea signed a pact that lets\neach navy refuel at the other's ports."
    layout = analyse_layout(text)
    assert len(layout.units) == 1
    assert len(layout.sentences) == 1


def test_clauses_split_at_commas_semicolons_colons_and_dashes():
    text = "Gains: fuel, supplies and repairs; costs – few"
    sentence = analyse_layout(text).sentences[0]
    assert [text[a:b] for a, b in sentence.clauses] == [
        "Gains",
        "fuel",
        "supplies and repairs",
        "costs",
        "few",
    ]


def test_numbers_with_commas_are_one_clause():
    text = "It cost Rs 7,629 crore in all."
    assert len(analyse_layout(text).sentences[0].clauses) == 1


def test_readable_text_ends_every_heading_and_bullet_with_a_full_stop():
    text = "Limits\n- Caution towards Beijing\n- Trade deficit"
    assert readable_text(text, analyse_layout(text)) == (
        "Limits. Caution towards Beijing. Trade deficit."
    )


def test_units_remember_their_heading():
    text = "Limits\n- Caution\n- Deficit\nConclusion\nIt grows."
    layout = analyse_layout(text)
    headings = [layout.headings[u.heading].words for u in layout.units]
    assert headings == [("limits",), ("limits",), ("conclusion",)]
