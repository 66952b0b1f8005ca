from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("사업 추진관리")

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks registers itself)

        signals.connect()
