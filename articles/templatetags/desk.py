"""Template tags of the editors' desk."""

import copy

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode

from articles.desk_search import IndexedPeriods

register = template.Library()


def indexed_date_hierarchy(cl):
    """Return Django's date drill-down for the changelist, its periods found with indexed queries."""
    indexed = copy.copy(cl)
    indexed.queryset = IndexedPeriods(cl.queryset, cl.date_hierarchy)
    return date_hierarchy(indexed)


@register.tag(name="desk_date_hierarchy")
def desk_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=indexed_date_hierarchy, template_name="date_hierarchy.html", takes_context=False
    )
