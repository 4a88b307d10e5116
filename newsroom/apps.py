"""The names the desk's index gives the apps Newsroom installs from elsewhere.

Each class is the app's own configuration with only its verbose name changed (Django's documented way:
an AppConfig subclass named in INSTALLED_APPS). The label, models and ready() stay the app's own, so
migrations, permissions and fixtures are untouched.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.auth.apps import AuthConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig
from reversion.apps import ReversionConfig
from taggit.apps import TaggitAppConfig


class AccountsConfig(AuthConfig):
    verbose_name = _("Desk accounts and roles")


class TagsConfig(TaggitAppConfig):
    verbose_name = _("Tags")


class RevisionsConfig(ReversionConfig):
    verbose_name = _("Revisions")


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Login protection")


class BackgroundWorkConfig(TasksAppConfig):
    verbose_name = _("Background work")
