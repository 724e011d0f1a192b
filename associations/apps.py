from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _forget_cached_pages(sender: AppConfig, **kwargs: Any) -> None:
    """After an upgrade's migrate, nothing built by the old code is served again.

    Pages, blocks, figures and each account's access are kept for up to five minutes; new
    templates or role definitions must not wait for them to expire.
    """
    from khuyenhoc.public_cache import bump_figures_generation
    from khuyenhoc.staff_cache import bump_version

    bump_figures_generation()
    bump_version()


def _tree_changed(sender: type, **kwargs: Any) -> None:
    from khuyenhoc.public_cache import bump_figures_generation

    bump_figures_generation()


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Tổ chức Hội")

    def ready(self) -> None:
        from associations import checks  # noqa: F401  (registers the scoping checks)
        from khuyenhoc.staff_cache import connect_signals

        # Here, once every app's models are loaded: the staff figures' version follows them.
        connect_signals()
        post_migrate.connect(_forget_cached_pages, sender=self)
        # The public figures and the units counted on the home page follow the tree.
        unit = self.get_model("OrgUnit")
        post_save.connect(_tree_changed, sender=unit, dispatch_uid="public-figures-tree")
        post_delete.connect(_tree_changed, sender=unit, dispatch_uid="public-figures-tree")
        # Each process keeps a copy of the accounts signed in: any change reads them again.
        from django.contrib.auth import get_user_model

        from associations.backends import account_changed

        account = get_user_model()
        post_save.connect(account_changed, sender=account, dispatch_uid="staff-account")
        post_delete.connect(account_changed, sender=account, dispatch_uid="staff-account")
