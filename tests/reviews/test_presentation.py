"""The queue and review page compute their values in Python instead of template filters: each
must print exactly what the filter it replaces would print."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from practice.addresses import url_maker
from practice.markup import printed, rows_markup
from practice.reviews import presentation
from practice.reviews.forms import ReviewForm


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    "value", [0.0, 7.0, 7.5, 10.0, 0.25, 7.25, 7.35, 2.675, 1 / 3, 123456.5, 12345678.0]
)
def test_short_number_is_floatformat_minus_one(value):
    assert presentation.short_number(value) == floatformat(value, -1)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 5, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 11, 29, 18, 45, tzinfo=UTC),  # past midnight in Asia/Kolkata
        datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC),
    ],
)
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/New_York", "UTC"])
def test_dates_are_written_as_the_date_and_time_filters_write_them(moment, zone):
    with timezone.override(zone):
        times = presentation.LocalTimes()
        local = times.local(moment)
        expected = _render(
            '{{ m|date:"Y-m-d\\TH:i:sO" }}|{{ m|date:"j M, H:i" }}|{{ m|time:"H:i" }}', m=moment
        )
        assert (
            f"{presentation.iso_datetime(local)}|{times.day_month_time(local)}|"
            + (f"{local:%H:%M}")
            == expected
        )


def test_month_names_follow_the_language():
    moment = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    with translation.override("de"), timezone.override("UTC"):
        times = presentation.LocalTimes()
        assert times.day_month_time(times.local(moment)) == _render(
            '{{ m|date:"j M, H:i" }}', m=moment
        )


@pytest.mark.parametrize("pk", [1, 7, 90, 987654, 2**40])
def test_url_maker_makes_what_reverse_makes(pk):
    assert url_maker("mentor:review")(pk) == reverse("mentor:review", args=[pk])


@pytest.mark.parametrize(
    "question",
    [
        "Short question?",
        "x" * 90,
        "Discuss the evolution of India–South Korea relations from an economic partnership "
        "to a special strategic partnership, with examples.",
    ],
)
def test_question_preview_is_truncatechars_90(question):
    preview = presentation.question_preview(question, translation.get_language())
    assert preview == _render("{{ q|truncatechars:90 }}", q=question)


@pytest.mark.parametrize("text", ["plain", "<b>bold</b> & \"quoted\" 'single'", ""])
def test_escaped_is_what_the_template_would_print(text):
    assert presentation.escaped(text) == escape(text) == _render("{{ t }}", t=text)
    # Printed as it is by a template, not escaped twice.
    assert _render("{{ t }}", t=presentation.escaped(text)) == escape(text)


def _squeezed(markup: str) -> str:
    return " ".join(markup.split()).replace("> <", "><")


def test_rows_markup_prints_values_as_a_template_prints_them():
    rows = [("<b>bold</b> & 'q'", 7), (presentation.escaped("a < b"), "x")]
    assert rows_markup("<li>{}: {}</li>", rows) == _render(
        "{% for a, b in rows %}<li>{{ a }}: {{ b }}</li>{% endfor %}", rows=rows
    )
    assert printed(presentation.escaped("<i>")) == "&lt;i&gt;"  # not escaped twice


def test_rubric_rows_show_weights_aliases_and_hints_as_the_template_did():
    rows = presentation.rubric_rows(
        [
            {"label": "A", "weight": 2, "aliases": ["a", "b"], "hint": "h", "required": True},
            {"label": "B", "weight": 0.25, "aliases": [], "hint": None},
        ]
    )
    assert [(r["weight"], r["aliases"], r["hint"], r["required"]) for r in rows] == [
        ("2", "a · b", "h", True),
        ("0.3", "", "", False),
    ]


def test_the_engine_report_lists_what_the_template_tags_showed():
    report = {
        "components": {
            "content": {"score": 0.2041, "weight": 0.6},
            "structure": {
                "score": 0.415,
                "weight": 0.25,
                "checks": [
                    {"passed": True, "detail": "Has an introduction."},
                    {"passed": False, "detail": "Too short."},
                ],
            },
        },
        "concepts": [
            {"label": "A", "required": True, "matched": False, "credit": 0, "evidence": []},
            {"label": "B", "required": False, "matched": True, "credit": 0.5, "evidence": []},
            {
                "label": "C",
                "required": False,
                "matched": True,
                "credit": 1.0,
                "evidence": [{"text": "the CEPA", "start": 0, "end": 8}],
            },
        ],
        "feedback": ["Say more."],
    }
    shown = presentation.engine_report(report)
    widthratio = _render(
        "{% for n, c in components.items %}{% widthratio c.score 1 100 %},"
        "{% widthratio c.weight 1 100 %};{% endfor %}",
        components=report["components"],
    )
    assert "".join(f"{s},{w};" for _, s, w in shown["components"]) == widthratio
    assert [name for name, _, _ in shown["components"]] == ["Content", "Structure"]
    assert shown["missing"] == [("A", True)]
    assert shown["matched"] == [("B", 50, ""), ("C", None, "the CEPA")]
    assert shown["checks"] == [
        ("pass", "✓", "Met:", "Has an introduction."),
        ("fail", "!", "Not met:", "Too short."),
    ]
    assert shown["feedback"] == ["Say more."]


ENGINE_LOOPS = """
{% for name, score_percent, weight_percent in engine.components %}
<tr><th scope="row">{{ name }}</th><td>{{ score_percent }}%</td><td>{{ weight_percent }}%</td></tr>
{% endfor %}|
{% for label, required in engine.missing %}<li><strong>{{ label }}</strong>{% if required %} \
<span class="pill pill-warn">required</span>{% endif %}</li>{% endfor %}|
{% for label, partial_percent, evidence in engine.matched %}
<li><strong>{{ label }}</strong>{% if partial_percent is not None %} \
<span class="pill">partial {{ partial_percent }}%</span>{% endif %}
<span class="muted">— “{{ evidence }}”</span></li>{% endfor %}|
{% for line in engine.feedback %}<li>{{ line }}</li>{% endfor %}|{{ engine.feedback|length }}|
{% for outcome, mark, outcome_text, detail in engine.checks %}
<li class="{{ outcome }}"><span class="check-mark" aria-hidden="true">{{ mark }}</span>\
<span class="visually-hidden">{{ outcome_text }}</span> {{ detail }}</li>{% endfor %}
"""


def test_the_engine_report_markup_is_what_the_template_loops_printed():
    report = {
        "components": {
            "content": {"score": 0.5, "weight": 0.6},
            "structure": {
                "score": 0.4,
                "weight": 0.4,
                "checks": [
                    {"passed": True, "detail": "Has an <introduction>."},
                    {"passed": False, "detail": "Too short & thin."},
                ],
            },
        },
        "concepts": [
            {"label": "A & <B>", "required": True, "matched": False, "credit": 0},
            {"label": "C", "matched": True, "credit": 0.5, "evidence": [{"text": "x 'y'"}]},
            {"label": "D", "matched": True, "credit": 1.0, "evidence": []},
        ],
        "feedback": ["Say <more>.", "Cite the pact."],
    }
    markup = presentation.engine_report_markup(report)
    looped = _render(ENGINE_LOOPS, engine=presentation.engine_report(report)).split("|")
    parts = ("components", "missing", "matched", "feedback", "feedback_count", "checks")
    assert [_squeezed(str(markup[part])) for part in parts] == [_squeezed(p) for p in looped]
    assert "A &amp; &lt;B&gt;" in markup["missing"]


def test_the_rubric_table_and_the_comment_bank_are_what_their_loops_printed():
    concepts = [
        {
            "label": "Pact <2023>",
            "weight": 2,
            "aliases": ["a", "b&c"],
            "hint": "h",
            "required": True,
        },
        {"label": "B", "weight": 0.5, "aliases": [], "hint": None},
    ]
    looped = _render(
        """{% for concept in rubric_rows %}<tr><th scope="row">{{ concept.label }}\
{% if concept.required %} <span class="pill pill-warn">required</span>{% endif %}</th>
        <td class="num">{{ concept.weight }}</td><td class="small">{{ concept.aliases }}</td>
        <td class="small">{{ concept.hint }}</td></tr>{% endfor %}""",
        rubric_rows=presentation.rubric_rows(concepts),
    )
    assert _squeezed(presentation.rubric_rows_markup(concepts)) == _squeezed(looped)

    remarks = ["Good <intro>.", "Cite the 2023 pact & its scope."]
    markup = presentation.comment_bank_markup(remarks)
    assert markup.count('<li><span class="bank-text">') == 2
    assert "Good &lt;intro&gt;." in markup and "pact &amp; its scope" in markup
    assert presentation.comment_bank_markup([]) == ""


def test_each_concept_fieldset_shows_its_radios_the_engine_verdict_and_errors():
    concepts = [{"label": "Act <East>", "matched": True}, {"label": "LEMOA", "matched": False}]
    form = ReviewForm(
        data={"final_marks": "5", "comment": "ok", "concept_0": "yes", "concept_1": "maybe"},
        auto_marks=5.0,
        max_marks=10,
        concepts=concepts,
    )
    assert not form.is_valid()
    markup = form.concept_fieldsets()
    first, second = markup.split("</fieldset>")[:2]
    assert "<strong>Act &lt;East&gt;</strong>" in first and "engine: matched" in first
    assert 'value="yes" id="id_concept_0_1" checked>' in first
    assert '<p class="error">' not in first
    assert "engine: missing" in second
    assert 'aria-invalid="true"' in second
    assert (
        '<p class="error">Select a valid choice. maybe is not one of the available choices.</p>'
        in second
    )


def test_a_report_without_components_or_feedback_lists_only_its_concepts():
    shown = presentation.engine_report(
        {"concepts": [{"label": "A", "matched": True, "evidence": []}], "total": 3}
    )
    assert shown == {
        "components": [],
        "missing": [],
        "matched": [("A", None, "")],
        "feedback": [],
        "checks": [],
    }
