from django.apps import AppConfig


class InsidersConfig(AppConfig):
    name = "insiders"
    verbose_name = "Insider trading"
