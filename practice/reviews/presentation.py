"""What the mentor queue and review page show, worked out in Python once per request.

These pages list many small values (dates, marks, claim states). Template filters, tags and
form widget templates cost far more per value than the data behind them, so the values are
computed here and the templates print plain strings in plain loops.
"""

from datetime import datetime
from functools import lru_cache
from typing import TypedDict

from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.text import Truncator, capfirst

from practice.addresses import url_maker
from practice.answers.models import Answer
from practice.markup import REQUIRED_PILL, escaped, markup_if, rows_markup

QUESTION_PREVIEW_CHARS = 90

# ---------------------------------------------------------------------------------- formats


def short_number(value: float) -> str:
    """A number as `floatformat:"-1"` shows it ("7", "7.5"), for a fraction of its cost."""
    if value.is_integer():
        return str(int(value))
    if (value * 2).is_integer():  # half marks: what the engine and mentors give
        return f"{value:.1f}"
    return floatformat(value, -1)


def iso_datetime(local: datetime) -> str:
    """As the `date:"Y-m-d\\TH:i:sO"` filter writes it, for a `<time datetime>`."""
    return f"{local:%Y-%m-%dT%H:%M:%S%z}"


class LocalTimes:
    """Formats many moments in the current time zone and language, as the `date` and `time`
    filters do, looking both up once rather than for every value."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {number: month.title() for number, month in MONTHS_3.items()}

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def day_month_time(self, local: datetime) -> str:
        """As `date:"j M, H:i"`: "29 Nov, 16:02"."""
        return f"{local.day} {self.months[local.month]}, {local:%H:%M}"


# ---------------------------------------------------------------------------------- the queue


class QueueRow(TypedDict):
    """One answer in the queue as its row shows it: text already escaped (see `escaped`), in
    a dict, which the template reads fastest."""

    url: SafeString
    state: SafeString  # "mine", "claimed", "reviewed" or "unreviewed": the row's class
    student: SafeString
    question: SafeString  # cut to QUESTION_PREVIEW_CHARS
    topic: SafeString
    submitted_iso: SafeString
    submitted: SafeString
    marks: SafeString | None  # "7.5 / 10"; None until scored
    final_marks: SafeString | None  # None until reviewed
    rescored: bool  # the automatic marks changed after the review
    status: SafeString  # the status pill's text
    status_class: SafeString
    action: SafeString  # "Review" if the row is there for this mentor to review, else "Open"
    primary: bool  # the action is the row's main one (Review)


def queue_rows(values, *, viewer, now: datetime) -> list[QueueRow]:
    """The rows of one queue page, from `queries.queue_row_values` of its answers."""
    language = translation.get_language()
    times = LocalTimes()
    review_url = url_maker("mentor:review")
    rows = []
    for answer in values:
        submitted = times.local(answer["submitted_at"])
        auto, final = answer["auto_marks"], answer["review__final_marks"]
        reviewed = answer["review__reviewed_at"] is not None
        state, status, status_class = _queue_state(answer, viewer=viewer, now=now, times=times)
        to_review = state in ("unreviewed", "mine")
        rows.append(
            QueueRow(
                url=escaped(review_url(answer["id"])),
                state=escaped(state),
                student=escaped(answer["student__username"]),
                question=escaped(question_preview(answer["prompt__question"], language)),
                topic=escaped(answer["prompt__topic__title"]),
                submitted_iso=escaped(iso_datetime(submitted)),
                submitted=escaped(times.day_month_time(submitted)),
                marks=None
                if auto is None
                else escaped(f"{short_number(auto)} / {answer['prompt__marks']}"),
                final_marks=escaped(short_number(final))
                if reviewed and final is not None
                else None,
                rescored=answer["review__auto_marks_changed"] is True,
                status=escaped(status),
                status_class=escaped(status_class),
                action=escaped("Review" if to_review else "Open"),
                primary=to_review,
            )
        )
    return rows


def _queue_row_markup(row: QueueRow) -> str:
    # Every text in `row` is escaped already (see `escaped`).
    marks = '<span class="muted">not scored</span>' if row["marks"] is None else row["marks"]
    final = ""
    if row["final_marks"] is not None:
        final = f'<br><span class="small">mentor {row["final_marks"]}</span>'
        if row["rescored"]:
            final += ' <span class="pill pill-warn">rescored</span>'
    primary = " primary" if row["primary"] else ""
    return (
        f'<tr class="state-{row["state"]}">'
        f'\n          <td data-label="Student">{row["student"]}</td>'
        f'\n          <td data-label="Question" class="question-cell">'
        f'\n            <span class="q-text">{row["question"]}</span>'
        f'\n            <span class="muted small">{row["topic"]}</span>'
        "\n          </td>"
        f'\n          <td data-label="Submitted"><time datetime="{row["submitted_iso"]}">'
        f"{row['submitted']}</time></td>"
        f'\n          <td data-label="Auto marks" class="num marks-cell">'
        f"\n            {marks}\n            {final}\n          </td>"
        f'\n          <td data-label="Status"><span class="{row["status_class"]}">'
        f"{row['status']}</span></td>"
        f'\n          <td class="action-cell">'
        f'\n            <a class="button small-button{primary}" href="{row["url"]}">{row["action"]}'
        f'<span class="visually-hidden"> the answer by {row["student"]} submitted '
        f"{row['submitted']}</span></a>"
        "\n          </td>\n        </tr>"
    )


def queue_rows_markup(rows: list[QueueRow]) -> SafeString:
    """The queue table's rows as markup: a loop of a dozen values per row in the template
    cost more than the rest of the page."""
    return SafeString("\n        ".join(_queue_row_markup(row) for row in rows))


@lru_cache(maxsize=1024)
def question_preview(question: str, language: str) -> str:
    """The question cut to QUESTION_PREVIEW_CHARS, as `truncatechars` cuts it. Remembered, as
    the queue shows the same few questions again and again; `language` is part of the key
    because the ellipsis is translated."""
    return Truncator(question).chars(QUESTION_PREVIEW_CHARS)


def _queue_state(answer: dict, *, viewer, now: datetime, times: LocalTimes) -> tuple[str, str, str]:
    """The row's state, its status pill's text and the pill's class."""
    expires = answer["review__claim_expires_at"]
    holder = answer["review__claimed_by"]
    if holder is not None and expires is not None and expires > now:
        until = f"until {times.local(expires):%H:%M}"
        if holder == viewer.pk:
            return "mine", f"Yours {until}", "pill pill-mine"
        name = _full_name_or_username(
            answer["review__claimed_by__first_name"],
            answer["review__claimed_by__last_name"],
            answer["review__claimed_by__username"],
        )
        return "claimed", f"{name} {until}", "pill pill-claimed"
    if answer["status"] == Answer.Status.REVIEWED:
        mentor = answer["review__mentor__username"]
        return "reviewed", f"Reviewed by {mentor}" if mentor else "Reviewed", "pill pill-reviewed"
    return "unreviewed", "Unreviewed", "pill"


def _full_name_or_username(first: str, last: str, username: str) -> str:
    # queries.mentor_name for a user read as values: User.get_full_name() strips the join.
    return f"{first} {last}".strip() or username


# ------------------------------------------------------------------------------ review page


def engine_report(report: dict) -> dict:
    """The engine's report as the review page lists it, percentages worked out as the
    `widthratio` tag rounds them and each structure check's mark chosen. Parts a report
    lacks are left out, as the template left them out."""
    components = report.get("components") or {}
    checks = (components.get("structure") or {}).get("checks") or []
    concepts = report.get("concepts") or []
    return {
        "components": [
            (capfirst(name), _percent(part.get("score")), _percent(part.get("weight")))
            for name, part in components.items()
        ],
        "missing": [(c["label"], c.get("required")) for c in concepts if not c.get("matched")],
        "matched": [
            (c["label"], _partial_percent(c.get("credit")), _first_evidence(c))
            for c in concepts
            if c.get("matched")
        ],
        "feedback": report.get("feedback") or [],
        "checks": [
            ("pass", "✓", "Met:", check.get("detail", ""))
            if check.get("passed")
            else ("fail", "!", "Not met:", check.get("detail", ""))
            for check in checks
        ],
    }


def engine_report_markup(report: dict) -> dict:
    """The lists of `engine_report` as the review page's markup: table rows and list items
    (empty where the report has none), and how many lines of advice there are."""
    shown = engine_report(report)
    return {
        "components": rows_markup(
            '<tr><th scope="row">{}</th><td>{}%</td><td>{}%</td></tr>', shown["components"]
        ),
        "missing": rows_markup(
            "<li><strong>{}</strong>{}</li>",
            ((label, markup_if(required, REQUIRED_PILL)) for label, required in shown["missing"]),
        ),
        "matched": rows_markup(
            '<li><strong>{}</strong>{}\n          <span class="muted">— “{}”</span></li>',
            (
                (
                    label,
                    markup_if(
                        partial is not None, f' <span class="pill">partial {partial}%</span>'
                    ),
                    evidence,
                )
                for label, partial, evidence in shown["matched"]
            ),
        ),
        "feedback": rows_markup("<li>{}</li>", ((line,) for line in shown["feedback"])),
        "feedback_count": len(shown["feedback"]),
        "checks": rows_markup(
            '<li class="{}"><span class="check-mark" aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span> {}</li>',
            shown["checks"],
        ),
    }


def _percent(share: float | None) -> int | str:
    # As {% widthratio share 1 100 %}, which prints nothing for a missing value.
    return "" if share is None else round(float(share) * 100)


def _partial_percent(credit: float | None) -> int | None:
    return _percent(credit) if credit is not None and credit < 1 else None


def _first_evidence(concept: dict) -> str:
    evidence = concept.get("evidence") or []
    return evidence[0].get("text", "") if evidence else ""


class RubricRow(TypedDict):
    label: str
    required: bool
    weight: str
    aliases: str
    hint: str


def rubric_rows(concepts: list[dict]) -> list[RubricRow]:
    return [
        RubricRow(
            label=concept["label"],
            required=bool(concept.get("required")),
            weight=short_number(float(concept["weight"])),
            aliases=" · ".join(concept.get("aliases") or []),
            hint=concept.get("hint") or "",
        )
        for concept in concepts
    ]


def rubric_rows_markup(concepts: list[dict]) -> SafeString:
    """The rubric table's rows (see `rubric_rows`) as markup."""
    return rows_markup(
        '<tr>\n            <th scope="row">{}{}</th>\n            <td class="num">{}</td>'
        '\n            <td class="small">{}</td>\n            <td class="small">{}</td>\n'
        "          </tr>",
        (
            (
                row["label"],
                markup_if(row["required"], REQUIRED_PILL),
                row["weight"],
                row["aliases"],
                row["hint"],
            )
            for row in rubric_rows(concepts)
        ),
    )


def comment_bank_markup(remarks: list[str]) -> SafeString:
    """The mentor's kept remarks, each with the button that inserts it into the comment."""
    return rows_markup(
        '<li><span class="bank-text">{}</span>\n            <button type="button" '
        'class="button small-button bank-insert" hidden>Insert<span class="visually-hidden">'
        " this remark into the comment</span></button></li>",
        ((remark,) for remark in remarks),
    )
