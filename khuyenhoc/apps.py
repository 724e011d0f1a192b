"""Vietnamese names for the sections of third-party apps (their own names are English)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Bảo vệ đăng nhập")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Tác vụ nền")
