from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "practice.catalog"
    label = "catalog"
