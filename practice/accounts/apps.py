from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "practice.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import backends, navigation

        user_model = get_user_model()
        for signal in (post_save, post_delete):
            signal.connect(backends.forget_user, sender=user_model, dispatch_uid="forget_user")
        navigation.connect_signals()
