from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "practice.progress"
    label = "progress"

    def ready(self):
        from . import figures

        figures.connect_signals()
