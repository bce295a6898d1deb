import re
from datetime import datetime, timedelta
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.answers.models import Answer
from practice.reviews.models import Review

from ..answers.helpers import autosave, submit
from .factories import add_answers, local_midnight, model_report

pytestmark = pytest.mark.django_db

URL = "/progress/"


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def chart_figure(html: str, key: str) -> str:
    figure = re.search(rf'<figure class="chart" id="chart-{key}">(.*?)</figure>', html, re.S)
    assert figure, f"no {key} chart on the page"
    return figure.group(1)


def chart_svg(html: str, key: str, canvas: str = "l") -> str:
    """The chart's axes on one canvas size."""
    svg = re.search(
        rf'<svg class="chart-svg chart-{canvas}"(.*?)</svg>', chart_figure(html, key), re.S
    )
    assert svg, f"no {canvas} drawing of the {key} chart"
    return svg.group(0)


def chart_data(html: str, key: str) -> str:
    """The chart's data, drawn once for every canvas."""
    data = re.search(
        rf'<symbol id="chart-{key}-data" viewBox="0 0 (\d+) \1"(.*?)</symbol>',
        chart_figure(html, key),
        re.S,
    )
    assert data, f"no data for the {key} chart"
    return data.group(0)


def plotted_values(data: str, style: str, y_max: float = 100) -> list[float]:
    """Read the values back out of the drawn data, in the axis' units."""
    side = float(re.search(r'viewBox="0 0 (\d+) ', data).group(1))
    path = re.search(rf'class="chart-{style} [^"]*" d="([^"]+)"', data).group(1)
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", path)]
    return [round((side - y) / side * y_max, 1) for y in ys]


def aria_label(svg: str) -> str:
    return re.search(r'aria-label="([^"]*)"', svg).group(1)


# ----------------------------------------------------------------- access and empty state


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (URL, reverse("progress_export")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_a_new_student_sees_a_helpful_empty_state(student_client, topic):
    html = page(student_client)
    assert "Nothing to show yet" in html
    first = topic.prompts.order_by("position").first()
    assert first.get_absolute_url() in html
    assert reverse("progress_export") not in html
    assert "<svg" not in html


def test_drafts_alone_do_not_count_as_progress(student_client, prompt):
    autosave(student_client, prompt, "A draft in progress.", version=0)
    assert "Nothing to show yet" in page(student_client)


def test_a_student_sees_only_their_own_answers(student_client, student, other_student, topic):
    prompts = list(topic.prompts.order_by("position"))
    mine = add_answers(student, prompts[0], [4, 6])
    theirs = add_answers(other_student, prompts[1], [15, 15, 15])

    html = page(student_client)
    for answer in mine:
        assert answer.get_absolute_url() in html
    for answer in theirs:
        assert answer.get_absolute_url() not in html
    assert "<dt>Answers submitted</dt><dd>2</dd>" in html
    assert prompts[1].question[:40] not in html  # their question is not among mine
    assert "your 2 attempts" in aria_label(chart_svg(html, "marks"))


# ----------------------------------------------------------------- charts reflect the data


def test_marks_chart_plots_every_attempt_and_the_moving_average(student_client, student, prompt):
    marks = [2, 5, 8, 3, 9, 10, 4]
    add_answers(student, prompt, marks)
    html = page(student_client)
    data = chart_data(html, "marks")

    percents = [m * 100 / prompt.marks for m in marks]
    assert plotted_values(data, "points") == pytest.approx(percents, abs=0.6)
    averages = [sum(percents[max(0, i - 4) : i + 1]) / len(percents[max(0, i - 4) : i + 1])
                for i in range(len(percents))]  # fmt: skip
    assert plotted_values(data, "line") == pytest.approx(averages, abs=0.6)
    label = aria_label(chart_svg(html, "marks"))
    assert "your 7 attempts" in label
    assert "Latest 40%" in label and "best shown 100%" in label


def test_every_canvas_size_shows_the_data_over_its_own_plot_area(student_client, student, prompt):
    add_answers(student, prompt, [3, 7, 5])
    html = page(student_client)
    assert plotted_values(chart_data(html, "marks"), "points") == pytest.approx(
        [30, 70, 50], abs=0.6
    )
    for size in "sml":
        svg = chart_svg(html, "marks", size)
        y_axis = re.search(r'<g class="chart-axis">\s*<line ([^>]*)/>', svg).group(1)
        x_axis = re.search(r'<g class="chart-axis">\s*<line [^>]*/>\s*<line ([^>]*)/>', svg).group(
            1
        )
        left, top, bottom = (
            float(re.search(rf'{a}="([\d.]+)"', y_axis).group(1)) for a in ("x1", "y1", "y2")
        )
        right = float(re.search(r'x2="([\d.]+)"', x_axis).group(1))
        shown = re.search(r'<use href="#chart-marks-data" ([^>]*)/>', svg).group(1)
        placed = {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', shown)}
        assert placed == {"x": left, "y": top, "width": right - left, "height": bottom - top}


def test_component_trends_follow_each_component(student_client, student, prompt):
    add_answers(student, prompt, [5], components=(0.2, 0.5, 0.9))
    add_answers(student, prompt, [6], components=(0.6, 0.5, 0.7), gap=timedelta(hours=1))
    html = page(student_client)
    lines = re.findall(
        r'class="chart-line tone-(\d)[^"]*" d="([^"]+)"', chart_data(html, "components")
    )
    assert len(lines) == 3  # content, structure, readability
    label = aria_label(chart_svg(html, "components"))
    # Moving averages: content 20% then (20+60)/2, structure flat, readability (90+70)/2.
    assert "Content 20% to 40%" in label
    assert "Structure 50% to 50%" in label
    assert "Readability 90% to 80%" in label
    assert "Weakest now: content" in label


def test_mentor_marks_count_over_automatic_marks(student_client, student, mentor, prompt):
    [answer] = add_answers(student, prompt, [6])
    Review.objects.create(answer=answer, mentor=mentor, final_marks=9, reviewed_at=timezone.now())
    html = page(student_client)
    assert plotted_values(chart_data(html, "marks"), "points") == pytest.approx([90], abs=0.6)
    assert "automatic 6" in html  # both marks shown where they differ


def test_an_unfinished_review_does_not_change_the_marks(student_client, student, mentor, prompt):
    [answer] = add_answers(student, prompt, [6])
    Review.objects.create(answer=answer, mentor=mentor, final_marks=9)  # not yet submitted
    html = page(student_client)
    assert plotted_values(chart_data(html, "marks"), "points") == pytest.approx([60], abs=0.6)


def test_pace_is_shown_against_the_pace_each_format_needs(student_client, student, topic):
    short = topic.prompts.filter(word_limit=150).order_by("position").first()
    long = topic.prompts.filter(word_limit=250).order_by("position").first()
    add_answers(student, short, [5, 6], words=140, seconds=420)  # 20 wpm
    add_answers(student, long, [9], words=250, seconds=600)  # 25 wpm
    add_answers(student, short, [7], words=150, seconds=10)  # too short to time
    html = page(student_client)
    svg = chart_svg(html, "pace")
    label = aria_label(svg)
    assert "3 of them were timed" in label
    assert "Needed for 150-word questions: 21 wpm; your average 20 wpm, on pace in 0 of 2" in label
    assert "Needed for 250-word questions: 23 wpm; your average 25 wpm, on pace in 1 of 1" in label
    assert chart_data(html, "pace").count('class="chart-reference tone-') == 2  # two targets
    assert "Pace needed for 150 words in 7 min (21 wpm)" in html


def test_streaks_count_consecutive_local_days(student_client, student, prompt):
    for days_ago in (0, 1, 4, 5, 6):
        add_answers(student, prompt, [5], start=local_midnight(days_ago))
    html = page(student_client)
    assert re.search(r"Current streak</dt><dd>2 days</dd>", html)
    assert re.search(r"Longest streak</dt><dd>3 days</dd>", html)
    assert "Practised today" in html


def test_attempts_per_question_show_first_best_and_latest(student_client, student, topic):
    prompt = topic.prompts.filter(word_limit=150).order_by("position").first()
    answers = add_answers(student, prompt, [3, 8, 6])
    html = page(student_client)
    row = re.search(rf'<a href="{answers[-1].get_absolute_url()}">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">(?:<strong>)?([\d.]+)', row)
    assert cells == ["3", "3", "8", "6", str(prompt.marks)]  # attempts, first, best, latest


def test_concept_coverage_counts_how_often_each_concept_was_covered(
    student_client, student, prompt
):
    submit(student_client, prompt, prompt.model_answer)
    submit(student_client, prompt, "India and South Korea are friends. They talk often.")
    report = Answer.objects.filter(student=student).order_by("submitted_at")[0].scores.get().report
    covered = [c["label"] for c in report["concepts"] if c["matched"]]
    assert covered, "the model answer should cover some concepts"
    html = page(student_client)
    for label in covered:
        row = re.search(rf"{re.escape(escape(label))}.*?</tr>", html, re.S).group(0)
        assert "1 of 2 (50%)" in row
        assert "Missed" in row  # the latest answer did not cover it


def test_a_mentor_judgement_overrides_the_engine_in_coverage(
    student_client, student, mentor, prompt
):
    report = model_report(prompt)
    label = next(c["label"] for c in report["concepts"] if c["matched"])
    [answer] = add_answers(student, prompt, [8], report=report)
    Review.objects.create(
        answer=answer,
        mentor=mentor,
        final_marks=7,
        reviewed_at=timezone.now(),
        concept_judgements={label: False},
    )
    row = re.search(rf"{re.escape(escape(label))}.*?</tr>", page(student_client), re.S).group(0)
    assert "0 of 1 (0%)" in row


# ----------------------------------------------------------------- history


def test_history_links_to_each_feedback_page_newest_first(student_client, student, prompt):
    answers = add_answers(student, prompt, [4, 5, 6])
    html = page(student_client)
    history = html[html.index('id="history"') :]
    positions = [history.index(a.get_absolute_url()) for a in answers]
    assert positions == sorted(positions, reverse=True)


def test_history_pages_through_many_answers_with_and_without_htmx(student_client, student, prompt):
    answers = add_answers(student, prompt, [5] * 25)
    html = page(student_client)
    assert "Page 1 of 2" in html
    assert answers[0].get_absolute_url() not in html[html.index('id="history"') :]

    plain = page(student_client, page=2)
    assert "Page 2 of 2" in plain and answers[0].get_absolute_url() in plain

    response = student_client.get(
        URL, {"page": 2}, headers={"HX-Request": "true", "HX-Target": "history"}
    )
    partial = response.content.decode()
    assert partial.lstrip().startswith('<section class="card" id="history"')
    assert "<html" not in partial and "Marks over time" not in partial
    assert answers[0].get_absolute_url() in partial
    assert "HX-Request" in response["Vary"]


# ----------------------------------------------------------------- cost


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        b"".join(response) if response.streaming else response.content
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_number_of_answers(
    student_client, student, other_student, topic
):
    def counts() -> tuple[int, int, int]:
        # The first view after answers were added computes the figures; the second reads them.
        computed = _queries_for(student_client, URL)
        cached = _queries_for(student_client, URL)
        return computed, cached, _queries_for(student_client, "/progress/export.csv")

    page(student_client)  # the session, user and navigation are cached from here on
    prompts = list(topic.prompts.order_by("position"))
    for index, prompt in enumerate(prompts[:2]):
        add_answers(student, prompt, [5] * 5, start=timezone.now() - timedelta(days=20 - index))
    few = counts()

    for prompt in prompts:
        add_answers(student, prompt, [6] * 49, start=timezone.now() - timedelta(days=60))
    assert Answer.objects.filter(student=student).count() == 500
    many = counts()
    assert few == many
    assert few[1] < few[0]


# ----------------------------------------------------------------- markup written in Python


def test_text_in_the_charts_and_tables_is_escaped(student_client, student, prompt):
    """The charts and the coverage rows are written out in Python, not by the template."""
    report = model_report(prompt)
    concept = report["concepts"][0]
    concept["label"] = '<b>Trade & "ties"</b>'
    add_answers(student, prompt, [6], report=report)
    prompt.question = "<script>alert(1)</script> Discuss the partnership."
    prompt.save()

    html = page(student_client)
    assert "<b>Trade" not in html and "<script>alert" not in html
    row = re.search(r"&lt;b&gt;Trade &amp; &quot;ties&quot;&lt;/b&gt;.*?</tr>", html, re.S)
    assert row, "the concept's row should show its label, escaped"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # questions and history tables
    svg = chart_svg(html, "marks", "s")
    assert svg.count("<svg") == 1 and "aria-label=" in svg


def test_questions_table_counts_attempts_across_prompts_and_reviews(
    student_client, student, mentor, topic
):
    first, second = topic.prompts.order_by("position")[:2]
    add_answers(student, first, [3, 8], start=timezone.now() - timedelta(days=3))
    [reviewed] = add_answers(student, first, [5], start=timezone.now() - timedelta(days=2))
    Review.objects.create(answer=reviewed, mentor=mentor, final_marks=9, reviewed_at=timezone.now())
    add_answers(student, second, [4], start=timezone.now() - timedelta(days=1))

    html = page(student_client)
    row = re.search(rf'<a href="{reviewed.get_absolute_url()}">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">(?:<strong>)?([\d.]+)', row)
    assert cells == ["3", "3", "9", "9", str(first.marks)]  # the mentor's 9 is best and latest
    assert "<dt>Best</dt><dd>90%</dd>" in html
    assert "<dt>Answers submitted</dt><dd>4</dd>" in html


def test_only_the_latest_attempts_are_plotted_but_every_one_is_counted(
    student_client, student, prompt, monkeypatch
):
    from practice.progress import queries

    monkeypatch.setattr(queries.summarise_answers, "__defaults__", (3,))  # plot 3, not 200
    add_answers(student, prompt, [1, 2, 3, 4, 5])
    html = page(student_client)
    assert "latest 3 of 5 attempts" in html
    percents = [m * 100 / prompt.marks for m in (3, 4, 5)]
    data = chart_data(html, "marks")
    assert plotted_values(data, "points") == pytest.approx(percents, abs=0.6)
    # The moving average of the first plotted attempt includes the two not plotted.
    assert plotted_values(data, "line")[0] == pytest.approx(2 * 100 / prompt.marks, abs=0.6)


def test_the_plotted_window_is_the_tail_of_every_attempt_with_the_same_averages(student, prompt):
    from practice.progress.queries import summarise_answers

    add_answers(student, prompt, [1, 6, 2, 9, 4, 7, 3, 8], components=(0.4, 0.55, 0.7))
    everything = summarise_answers(student, newest=6)
    latest_three = summarise_answers(student, 3, newest=6)
    # Only the latest attempts become points, numbered and averaged as among all of them.
    assert latest_three.series.total == everything.series.total == 8
    assert latest_three.series.attempts == everything.series.attempts[-3:]
    assert [a.number for a in latest_three.series.attempts] == [6, 7, 8]
    # The first page of the history reaches further back than the plotted window.
    assert latest_three.newest == everything.newest
    assert [row["marks"] for row in latest_three.newest] == [8, 3, 7, 4, 9, 2]
    assert latest_three.prompts == everything.prompts
    assert latest_three.pace == everything.pace


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Europe/London", "America/Sao_Paulo"])
def test_practice_days_are_the_local_days_of_every_answer(student, prompt, settings, zone):
    from zoneinfo import ZoneInfo

    from practice.progress.queries import summarise_answers

    settings.TIME_ZONE = zone
    # Answers every 7 hours for two weeks cross local midnight at varying times of day, and
    # in London the end of summer time.
    start = datetime(2025, 10, 20, 1, 30, tzinfo=ZoneInfo("UTC"))
    answers = add_answers(student, prompt, [5] * 48, start=start, gap=timedelta(hours=7))
    expected = {a.submitted_at.astimezone(ZoneInfo(zone)).date() for a in answers}
    with timezone.override(zone):
        assert summarise_answers(student).days == expected
