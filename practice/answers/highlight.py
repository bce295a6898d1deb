"""An answer with the engine's evidence marked, as the feedback and mentor review pages show it."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()

    @property
    def highlighted(self) -> bool:
        return bool(self.labels)


def highlight_segments(text: str, concepts: list[dict]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece carries the labels of the spans over it.

    Overlapping evidence from two concepts becomes one piece labelled with both, so the page
    never nests or loses a highlight. Spans outside the text (a stale report) are clipped.
    """
    spans = [
        (max(0, ev["start"]), min(len(text), ev["end"]), concept["label"])
        for concept in concepts
        if concept.get("matched")
        for ev in concept.get("evidence", [])
    ]
    spans = [(start, end, label) for start, end, label in spans if start < end]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        labels = tuple(sorted({label for s, e, label in spans if s <= start and end <= e}))
        if segments and segments[-1].labels == labels:
            segments[-1] = Segment(segments[-1].text + text[start:end], labels)
        else:
            segments.append(Segment(text[start:end], labels))
    return segments


def highlighted_answer(text: str, concepts: list[dict]) -> SafeString:
    """The answer as HTML, the engine's evidence in `<mark>`s titled with their concepts.

    Written here rather than by a template loop over the segments, as the other long runs of
    markup on these pages are: every text is escaped here."""
    parts = []
    for segment in highlight_segments(text, concepts):
        if segment.labels:
            labels = escape(", ".join(segment.labels))
            parts.append(f'<mark title="{labels}">{escape(segment.text)}</mark>')
        else:
            parts.append(escape(segment.text))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
