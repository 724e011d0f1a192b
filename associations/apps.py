from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Tổ chức Hội")

    def ready(self) -> None:
        from associations import checks  # noqa: F401  (registers the scoping checks)
