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
from practice.reviews import presentation


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
