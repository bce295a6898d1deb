from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practice.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth import get_user_model

        from practice.caching import on_save_or_delete

        from . import backends, navigation

        on_save_or_delete(backends.forget_user, get_user_model(), uid="forget_user")
        navigation.connect_signals()
