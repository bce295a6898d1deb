from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practice.accounts"
    label = "accounts"
