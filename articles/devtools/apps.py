from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The development commands, installed by the default settings and never by the production profile."""

    name = "articles.devtools"
    label = "devtools"
    verbose_name = "Newsroom development tools"
