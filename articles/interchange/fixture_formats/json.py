"""Django's JSON fixture format, checked while loaddata runs (see articles/interchange/fixture_formats/)."""

from django.core.serializers import json

from articles.interchange.fixture_formats import checked

Serializer = json.Serializer
Deserializer = checked(json.Deserializer)
