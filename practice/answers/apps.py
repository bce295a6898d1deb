from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "practice.answers"
    label = "answers"

    def ready(self):
        from . import published

        published.connect_signals()
