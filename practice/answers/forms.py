from django import forms
from django.conf import settings


class AnswerTextField(forms.CharField):
    """The answer box. NUL characters are dropped (they are never meant, and PostgreSQL refuses
    them); leading and trailing spaces are kept because students indent and space on purpose."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "").replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        size = len(value.encode("utf-8"))
        if size > settings.ANSWER_MAX_BYTES:
            raise forms.ValidationError(
                "This answer is %(size)s KB; the most we can store is %(limit)s KB. "
                "Shorten it and submit again.",
                code="too_long",
                params={
                    "size": f"{size / 1000:.0f}",
                    "limit": f"{settings.ANSWER_MAX_BYTES / 1000:.0f}",
                },
            )


class DraftForm(forms.Form):
    text = AnswerTextField(required=False)
    version = forms.IntegerField(min_value=0, required=False)
    seconds = forms.IntegerField(min_value=0, required=False)


class SubmitForm(forms.Form):
    text = AnswerTextField(error_messages={"required": "Write your answer before submitting it."})
    submission_key = forms.UUIDField()
    seconds = forms.IntegerField(min_value=0, required=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Write your answer before submitting it.", code="empty")
        return text
