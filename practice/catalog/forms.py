"""Admin forms for rubrics and prompt packs.

Rubric rules are the engine's, not re-implemented here: the weights, the readability band and
the concepts are run through `practice.scoring` and its PackError messages are attached to the
field they concern, so the admin refuses exactly what the engine would refuse.
"""

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from practice.scoring import PackError, ReadabilityBand, RubricSpec, Weights

from .models import Concept, Prompt, Rubric
from .rubrics import concept_problem
from .specs import rubric_entry

WEIGHT_NAMES = ("content", "structure", "readability")
MAX_PACK_BYTES = 1024 * 1024


class OptionalJSONField(forms.JSONField):
    """Shows nothing, rather than "null", when there is no value."""

    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


class RubricForm(forms.ModelForm):
    """The rubric's own fields; the weights are three numbers instead of a JSON object."""

    content_weight = forms.FloatField(required=False, label="Content")
    structure_weight = forms.FloatField(required=False, label="Structure")
    readability_weight = forms.FloatField(required=False, label="Readability")

    class Meta:
        model = Rubric
        fields = ["prompt", "readability_band"]
        field_classes = {"readability_band": OptionalJSONField}
        widgets = {"readability_band": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {
            "readability_band": (
                'Target ranges, e.g. {"flesch_kincaid_grade": [9, 14], '
                '"words_per_sentence": [12, 25]}. Leave empty for those defaults.'
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_NAMES:
            field = self.fields[f"{name}_weight"]
            field.widget.attrs.update({"step": "0.05", "min": "0", "max": "1"})
            if self.instance.weights:
                self.initial.setdefault(f"{name}_weight", self.instance.weights.get(name))
        if "prompt" in self.fields:
            # A prompt has one rubric: offer only prompts that have none yet.
            self.fields["prompt"].queryset = Prompt.objects.filter(rubric__isnull=True)

    def clean_readability_band(self):
        band = self.cleaned_data.get("readability_band")
        if band in (None, "", {}):
            return None
        try:
            ReadabilityBand.from_dict(band)
        except PackError as error:
            raise ValidationError(_engine_message(error)) from None
        return band

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(f"{name}_weight") for name in WEIGHT_NAMES}
        given = [name for name, value in values.items() if value is not None]
        if not given:
            cleaned["weights"] = None
        elif len(given) < len(WEIGHT_NAMES):
            for name in WEIGHT_NAMES:
                if name not in given and f"{name}_weight" not in self.errors:
                    self.add_error(
                        f"{name}_weight",
                        "Give all three component weights or none; leave all three blank "
                        "for the defaults.",
                    )
        else:
            try:
                cleaned["weights"] = Weights.from_dict(values).to_dict()
            except PackError as error:
                # "weights.structure: must be between 0 and 1" belongs to that number;
                # "weights: ... must sum to 1" to the three together, shown by the first.
                name = str(error).partition(":")[0].removeprefix("weights.")
                field = f"{name}_weight" if name in WEIGHT_NAMES else "content_weight"
                self.add_error(field, _engine_message(error))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if "weights" in self.cleaned_data:
            # Applied now, not at save, so the concepts' validation and the preview see them.
            self.instance.weights = self.cleaned_data["weights"]


class ConceptForm(forms.ModelForm):
    # Not required here: an empty list is the engine's to refuse, with its own message.
    aliases = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 36}),
        help_text="One per line. Case, hyphens and word endings are ignored when matching.",
    )
    position = forms.IntegerField(
        required=False, min_value=0, help_text="Order in the rubric; blank puts it last."
    )

    class Meta:
        model = Concept
        fields = ["label", "weight", "aliases", "hint", "required", "position"]
        widgets = {
            "hint": forms.Textarea(attrs={"rows": 5, "cols": 36}),
            "weight": forms.NumberInput(attrs={"step": "0.5"}),
            "label": forms.TextInput(attrs={"size": 30}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.pop("position", None)


class ConceptFormSet(BaseInlineFormSet):
    """A rubric's concepts, validated together by the engine (duplicate aliases span rows)."""

    def kept_forms(self) -> list[forms.ModelForm]:
        """The rows that will be stored, in rubric order (position, then row order)."""
        kept = [
            form
            for form in self.forms
            if form.is_valid()
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        return sorted(kept, key=lambda form: form.instance.position)

    def kept_concepts(self) -> list[Concept]:
        return [form.instance for form in self.kept_forms()]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        self._place_unnumbered_rows()
        forms_in_order = self.kept_forms()
        if not forms_in_order:
            raise ValidationError("A rubric needs at least one concept.")
        concepts = [form.instance for form in forms_in_order]
        try:
            RubricSpec.from_dict({"concepts": rubric_entry(self.instance, concepts)["concepts"]})
        except PackError as error:
            problem = concept_problem(error, [concept.label for concept in concepts])
            if problem.index is None or problem.index >= len(forms_in_order):
                raise ValidationError(problem.message) from None
            forms_in_order[problem.index].add_error(problem.field, problem.message)

    def _place_unnumbered_rows(self) -> None:
        """Rows left without a position go after the numbered ones, in the order shown."""
        rows = [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        numbered = [
            form.cleaned_data["position"]
            for form in rows
            if form.cleaned_data.get("position") is not None
        ]
        following = max(numbered, default=-1) + 1
        for form in rows:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = following
                following += 1


class PackUploadForm(forms.Form):
    file = forms.FileField(
        label="Pack file",
        help_text="A prompt pack in YAML or JSON, as written by Export pack or export_pack.",
    )

    def clean_file(self) -> dict:
        """The parsed pack. Whether it is a valid pack is decided by the import itself."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PACK_BYTES:
            raise ValidationError(
                f"The file is {upload.size // 1024} KB; packs are limited to "
                f"{MAX_PACK_BYTES // 1024} KB."
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(error, "problem", None) or "syntax error"
            raise ValidationError(f"The file is not valid YAML{where}: {problem}.") from None
        if not isinstance(data, dict):
            raise ValidationError("The file does not hold a pack (a topic and its prompts).")
        return data


def _engine_message(error: PackError) -> str:
    """The engine's message without its "rubric.weights:"-style field path."""
    text = str(error)
    _, separator, rest = text.partition(": ")
    message = rest if separator else text
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."
