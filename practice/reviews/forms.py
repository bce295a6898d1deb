from decimal import Decimal
from functools import cache as cache_once
from html import escape

from django import forms
from django.core.cache import cache
from django.core.validators import MaxValueValidator
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from practice.caching import forget
from practice.catalog.models import Prompt, Topic
from practice.markup import escaped, rows_markup

from . import queries
from .services import FREE_OVERRIDE_MARGIN, reason_required


class PromptChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Prompt) -> str:
        return obj.slug.replace("-", " ").capitalize()


# The topics and questions to filter by, as (value, label) for each select: the same for every
# mentor and every view until the catalogue changes, so read once and kept in the cache.
CATALOGUE_CHOICES_KEY = "mentor:queue-filter-choices"
CATALOGUE_FIELDS = ("topic", "prompt")
# Bounds how long choices read by a request racing an edit can outlive the edit.
CATALOGUE_CHOICES_SECONDS = 300


def forget_catalogue_choices(**kwargs) -> None:
    """A topic or prompt was saved or deleted: the selects list it, or its new title."""
    forget(CATALOGUE_CHOICES_KEY)


def _catalogue_choices(form: forms.Form) -> dict[str, list[tuple[str, str]]]:
    choices = cache.get(CATALOGUE_CHOICES_KEY)
    if choices is None:
        choices = {
            name: [(str(value), str(label)) for value, label in form.fields[name].choices]
            for name in CATALOGUE_FIELDS
        }
        cache.set(CATALOGUE_CHOICES_KEY, choices, CATALOGUE_CHOICES_SECONDS)
    return choices


def _options(field: forms.BoundField, choices) -> list[tuple[str, str, bool]]:
    value = field.value()
    selected = "" if value is None else str(value)
    return [
        (escaped(str(choice)), escaped(label), str(choice) == selected) for choice, label in choices
    ]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string (so every filtered view has a URL)."""

    status = forms.ChoiceField(
        required=False,
        choices=[
            (queries.AWAITING, "Awaiting review"),
            (queries.UNREVIEWED, "Unreviewed, not claimed"),
            (queries.CLAIMED, "Claimed"),
            (queries.REVIEWED, "Reviewed"),
            (queries.ALL, "All submitted"),
        ],
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), required=False, empty_label="All topics"
    )
    prompt = PromptChoiceField(
        queryset=Prompt.objects.all(), required=False, empty_label="All questions", label="Question"
    )
    student = forms.CharField(
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="Part of a username.",
    )
    min_marks = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        label="Automatic marks from",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    max_marks = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        label="to",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    order = forms.ChoiceField(
        required=False, choices=[("", "Oldest first"), ("newest", "Newest first")], label="Order"
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_marks"), data.get("max_marks")
        if low is not None and high is not None and low > high:
            self.add_error("max_marks", "The upper bound is below the lower bound.")
        return data

    @cached_property
    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """Each select's options as (value, label, selected), chosen as Django's Select widget
        chooses them, text escaped. The queue template writes the selects itself: rendering
        a widget template per option cost more than the rest of the filter form."""
        catalogue = _catalogue_choices(self)
        return {
            name: _options(self[name], catalogue.get(name) or self.fields[name].choices)
            for name in ("status", "topic", "prompt", "order")
        }

    def filters(self) -> dict:
        """The valid filters as keyword arguments of queries.queue_answers; a field with a
        bad value is left out (and its error shown) rather than emptying the queue."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "status": data.get("status") or queries.AWAITING,
            "topic": data.get("topic"),
            "prompt": data.get("prompt"),
            "student": (data.get("student") or "").strip(),
            "min_marks": data.get("min_marks"),
            "max_marks": data.get("max_marks"),
            "newest_first": data.get("order") == "newest",
        }

    def filters_in_use(self) -> bool:
        """Whether `filters` asks for anything but the default queue: the answers awaiting
        review, oldest first."""
        return self.filters() != _unfiltered()


@cache_once
def _unfiltered() -> dict:
    return QueueFilterForm().filters()


JUDGEMENT_CHOICES = [("", "Not judged"), ("yes", "Credit"), ("no", "No credit")]


class JudgementRadios(forms.RadioSelect):
    """A concept's radios, each in its label: `<label class="radio"><input type="radio" …>
    Credit</label>`. Written here rather than by RadioSelect's templates, which render a
    template per radio, per attribute list and per label: a review shows some twenty radios,
    and those templates cost more than the rest of the review form."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        radio_id = attrs.pop("id", "")
        shared = flatatt(attrs) if attrs else ""  # aria-invalid="true" when the field has an error
        chosen = self.format_value(value)
        radios = []
        for index, (choice, label) in enumerate(self.choices):
            id_attr = f' id="{escape(self.id_for_label(radio_id, index))}"' if radio_id else ""
            checked = " checked" if str(choice) in chosen else ""
            radio = (
                f'<input type="radio" name="{escape(name)}" value="{escape(str(choice))}"'
                f"{shared}{id_attr}{checked}>"
            )
            radios.append(f'<label class="radio">{radio} {escape(str(label))}</label>')
        return mark_safe("".join(radios))  # every value above is escaped


class ReviewForm(forms.Form):
    """Final marks, the reason for a large override, per-concept judgements and a comment."""

    # No decimal_places: a value like 6.25 gets the half-mark message below instead.
    final_marks = forms.DecimalField(
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        max_length=5000,
        label="Comment to the student",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write a comment for the student."},
    )
    save_to_bank = forms.BooleanField(
        required=False, label="Also keep this comment in my comment bank"
    )

    def __init__(self, *args, auto_marks: float, max_marks: int, concepts: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_marks = auto_marks
        self.max_marks = max_marks
        self.concepts = concepts
        marks = self.fields["final_marks"]
        marks.max_value = max_marks
        marks.widget.attrs.update(min="0", max=str(max_marks))
        marks.validators.append(MaxValueValidator(max_marks))
        marks.label = f"Final marks (out of {max_marks})"
        marks.help_text = (
            f"Automatic marks: {auto_marks:g}. Half marks allowed. Moving more than "
            f"{FREE_OVERRIDE_MARGIN:g} mark needs a reason."
        )
        for index, concept in enumerate(concepts):
            self.fields[f"concept_{index}"] = forms.ChoiceField(
                required=False,
                choices=JUDGEMENT_CHOICES,
                widget=JudgementRadios,
                label=concept["label"],
            )

    def concept_fieldsets(self) -> SafeString:
        """A fieldset per rubric concept: its label, whether the engine matched it, its radios
        and its errors (markup written here: see practice.markup)."""
        rows = []
        for index, concept in enumerate(self.concepts):
            field = self[f"concept_{index}"]
            errors = rows_markup('<p class="error">{}</p>', ((error,) for error in field.errors))
            engine = "matched" if concept.get("matched") else "missing"
            rows.append((concept["label"], engine, field.as_widget(), errors))
        return rows_markup(
            '<fieldset class="judgement">\n              <legend><strong>{}</strong> '
            '<span class="muted small">engine: {}</span></legend>\n'
            '              <div class="judgement-options">\n                {}\n'
            "              </div>\n              {}\n            </fieldset>",
            rows,
        )

    def clean_final_marks(self) -> Decimal:
        value = self.cleaned_data["final_marks"]
        if value * 2 != int(value * 2):
            raise forms.ValidationError("Use whole or half marks, e.g. 6 or 6.5.")
        return value

    def clean(self):
        data = super().clean()
        marks = data.get("final_marks")
        if marks is not None and reason_required(float(marks), self.auto_marks):
            if not (data.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    f"Say why: {float(marks):g} is more than {FREE_OVERRIDE_MARGIN:g} mark "
                    f"away from the automatic {self.auto_marks:g}.",
                )
        return data

    def judgements(self) -> dict[str, bool]:
        judged = {}
        for index, concept in enumerate(self.concepts):
            value = self.cleaned_data.get(f"concept_{index}")
            if value:
                judged[concept["label"]] = value == "yes"
        return judged


def review_initial(review, auto_marks: float, concepts: list[dict]) -> dict:
    """The form as the mentor left it last time, or the engine's marks for a first review."""
    if review is None or review.final_marks is None:
        return {"final_marks": Decimal(f"{auto_marks:g}")}
    initial = {"final_marks": Decimal(f"{review.final_marks:g}"), "comment": review.comment}
    for index, concept in enumerate(concepts):
        judged = review.concept_judgements.get(concept["label"])
        if judged is not None:
            initial[f"concept_{index}"] = "yes" if judged else "no"
    return initial


class CommentBankForm(forms.Form):
    text = forms.CharField(
        max_length=2000,
        label="New remark",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the remark to keep."},
    )
