from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "practice.answers"
    label = "answers"
