"""Django's YAML fixture format, checked while loaddata runs (see articles/fixture_formats); needs PyYAML."""

from django.core.serializers import pyyaml

from articles.interchange.fixture_formats import checked

Serializer = pyyaml.Serializer
Deserializer = checked(pyyaml.Deserializer)
