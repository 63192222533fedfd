from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and synthetic data for development machines and benchmarks.

    It sits on top of every other app and may import any of them; nothing but
    tests and bench/ imports it.
    """

    name = "demo"
