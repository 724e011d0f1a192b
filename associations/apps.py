from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Tổ chức Hội")

    def ready(self) -> None:
        from associations import checks  # noqa: F401  (registers the scoping checks)
        from khuyenhoc.staff_cache import connect_signals

        # Here, once every app's models are loaded: the staff figures' version follows them.
        connect_signals()
