"""Django's YAML fixture format (needs PyYAML), checked while loaddata runs: see the package's docstring."""

from django.core.serializers import pyyaml

from articles.interchange.fixture_formats import checked

Serializer = pyyaml.Serializer
Deserializer = checked(pyyaml.Deserializer)
