"""The answer with its evidence marked, shared by the feedback and mentor review pages."""

from practice.answers.highlight import highlighted_answer


def test_the_highlighted_answer_escapes_text_and_labels():
    text = "Tariffs <script> & the CEPA upgrade"
    concepts = [
        {
            "label": 'CEPA "upgrade"',
            "matched": True,
            "evidence": [{"start": text.index("the"), "end": len(text)}],
        },
        {"label": "Missed", "matched": False, "evidence": [{"start": 0, "end": 7}]},
    ]
    html = highlighted_answer(text, concepts)
    assert html == (
        "Tariffs &lt;script&gt; &amp; "
        '<mark title="CEPA &quot;upgrade&quot;">the CEPA upgrade</mark>'
    )


def test_overlapping_evidence_is_one_mark_with_both_labels():
    text = "The logistics pact and interoperability"
    both = text.index("pact")
    concepts = [
        {"label": "Logistics pact", "matched": True, "evidence": [{"start": 4, "end": 18}]},
        {
            "label": "Interoperability",
            "matched": True,
            "evidence": [{"start": both, "end": len(text)}],
        },
    ]
    html = highlighted_answer(text, concepts)
    assert '<mark title="Interoperability, Logistics pact">pact</mark>' in html
    assert html.count("<mark") == 3  # before, during and after the overlap
