"""Students writing at once: log in, open a question, autosave as they type, submit (twice,
as a double click would), read the feedback. Each user writes its ledger line (what it last
saved and what it submitted) so that run.py can check that nothing was lost."""

import json
import os
import re
import time
import uuid

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ["LOAD_PASSWORD"]
PROMPTS = os.environ["LOAD_PROMPTS"].split(",")
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "2"))
AUTOSAVES = int(os.environ.get("LOAD_AUTOSAVES", "6"))
LEDGER = os.environ["LOAD_LEDGER"]

_next_student = iter(range(10_000))
_signed_in = {"count": 0}
LOGIN_WAIT_SECONDS = 180

SENTENCES = [
    "India's Act East Policy and South Korea's New Southern Policy converge in defence.",
    "The 2019 naval logistics arrangement lets each navy refuel at the other's ports.",
    "An agreement on defence educational exchanges followed in the same visit.",
    "K9 Vajra howitzers were built by L&T with Hanwha under Make in India.",
    "However, Seoul stays cautious about China and the trade deficit persists.",
    "In conclusion, joint development will decide how far the partnership goes.",
]


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


class Student(HttpUser):
    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.number = next(_next_student)
        self.username = f"load{self.number:03d}"
        page = self.client.get("/accounts/login/").text
        token = _field(page, "csrfmiddlewaretoken")
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="/accounts/login/ POST",
        )
        if response.status_code != 302:
            raise StopUser()
        self.round = 0
        # Everyone starts writing together: logins (slow by design) are not mixed into the
        # writing phase that this test is about.
        _signed_in["count"] += 1
        deadline = time.monotonic() + LOGIN_WAIT_SECONDS
        while _signed_in["count"] < self.environment.runner.target_user_count:
            if time.monotonic() > deadline:
                break
            gevent.sleep(0.1)
        if not _signed_in.get("writing_started"):
            _signed_in["writing_started"] = time.time()
            with open(LEDGER + ".start", "w", encoding="utf-8") as marker:
                marker.write(str(_signed_in["writing_started"]))

    @task
    def write_and_submit(self):
        if self.round >= ROUNDS:
            raise StopUser()
        slug = PROMPTS[(self.number + self.round) % len(PROMPTS)]
        self.round += 1
        page = self.client.get(f"/prompts/{slug}/", name="/prompts/[slug]/").text
        token = _field(page, "csrfmiddlewaretoken")
        version = int(_field(page, "version") or 0)
        text = ""
        for i in range(AUTOSAVES):
            text += SENTENCES[i % len(SENTENCES)] + " "
            with self.client.post(
                f"/prompts/{slug}/draft",
                {"text": text, "version": version, "seconds": 20 * (i + 1)},
                headers={"HX-Request": "true", "X-CSRFToken": token},
                name="/prompts/[slug]/draft",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"autosave {response.status_code}")
                    continue
                version = int(re.search(r'data-version="(\d+)"', response.text).group(1))
        key = str(uuid.uuid4())
        form = {"text": text, "submission_key": key, "seconds": 300, "csrfmiddlewaretoken": token}
        first = self.client.post(
            f"/prompts/{slug}/submit", form, allow_redirects=False, name="/prompts/[slug]/submit"
        )
        feedback = first.headers.get("Location", "")
        # A double click must land on the same answer, not on an error or a second answer.
        with self.client.post(
            f"/prompts/{slug}/submit",
            form,
            allow_redirects=False,
            name="/prompts/[slug]/submit (retry)",
            catch_response=True,
        ) as again:
            if again.status_code != 302 or again.headers.get("Location") != feedback:
                again.failure(
                    f"retry answered {again.status_code} {again.headers.get('Location')!r}, "
                    f"first {first.status_code} {feedback!r}"
                )
        if first.status_code == 302:
            self.client.get(feedback, name="/answers/[id]/")
        with open(LEDGER, "a", encoding="utf-8") as ledger:
            ledger.write(
                json.dumps(
                    {
                        "username": self.username,
                        "prompt": slug,
                        "key": key,
                        "text": text,
                        "location": feedback,
                    }
                )
                + "\n"
            )


@events.test_start.add_listener
def _quit_when_every_student_is_done(environment, **kwargs):
    # Each student stops after its rounds; end the run then rather than at --run-time.
    def watch():
        gevent.sleep(2)
        while environment.runner.user_count > 0:
            gevent.sleep(0.25)
        environment.runner.quit()

    gevent.spawn(watch)


@events.quitting.add_listener
def _exit_code(environment, **kwargs):
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
