"""Django's JSONL fixture format, checked while loaddata runs (see articles/interchange/fixture_formats/)."""

from django.core.serializers import jsonl

from articles.interchange.fixture_formats import checked

Serializer = jsonl.Serializer
Deserializer = checked(jsonl.Deserializer)
