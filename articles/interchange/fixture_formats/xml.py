"""Django's XML fixture format, checked while loaddata runs (see articles/interchange/fixture_formats/)."""

from django.core.serializers import xml_serializer

from articles.interchange.fixture_formats import checked

Serializer = xml_serializer.Serializer
Deserializer = checked(xml_serializer.Deserializer)
