from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from taggit.models import Tag

        from articles import models
        from articles.core import natural_keys
        from articles.distribution import webhooks
        from articles.interchange import reimport
        from articles.platform import renditions
        from articles.platform.cache import connect_invalidation

        connect_invalidation()
        # An uploaded picture's renditions are made by a background task queued with its save.
        renditions.connect()
        # The rows fixtures refer to by natural key, remembered as a load saves them.
        natural_keys.connect(models.Section, models.Person, models.Image, models.Article, Tag)
        # A fixture loaded over stored rows keeps what the desk changed (raw saves call no model method).
        reimport.connect()
        # Subscribers hear of what the desk announces (publish, correct, update, withdraw, kill).
        webhooks.connect()
