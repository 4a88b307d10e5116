"""The desk's ModelAdmins live in articles.desk.admin; Django's admin autodiscovery imports this module."""

from articles.desk import admin, background, subscribers  # noqa: F401 - registering the ModelAdmins is the imports' purpose
