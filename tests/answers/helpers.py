import uuid

from django.urls import reverse


def submit(client, prompt, text, *, key=None, seconds=300):
    return client.post(
        reverse("submit", args=[prompt.slug]),
        {"text": text, "submission_key": str(key or uuid.uuid4()), "seconds": seconds},
    )


def autosave(client, prompt, text, *, version, seconds=60, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("save_draft", args=[prompt.slug]),
        {"text": text, "version": version, "seconds": seconds},
        headers=headers,
    )
