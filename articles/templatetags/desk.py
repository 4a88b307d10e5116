"""Template tags of the editors' desk."""

import copy

from django import template
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.template.loader import render_to_string

from articles.desk import background, dashboard
from articles.desk.search import IndexedPeriods
from articles.models import Article

register = template.Library()


def indexed_date_hierarchy(cl):
    """Return Django's date drill-down for the changelist, its periods found with indexed queries."""
    indexed = copy.copy(cl)
    indexed.queryset = IndexedPeriods(cl.queryset, cl.date_hierarchy)
    return date_hierarchy(indexed)


@register.simple_tag(takes_context=True)
def desk_date_hierarchy(context, cl):
    """Render the admin's date drill-down for the changelist, from the same templates the admin's own tag uses."""
    opts = context["opts"]
    # A project may override the template for one model, one app or the whole admin, as with Django's tag.
    names = [
        f"admin/{opts.app_label.lower()}/{opts.model_name}/date_hierarchy.html",
        f"admin/{opts.app_label.lower()}/date_hierarchy.html",
        "admin/date_hierarchy.html",
    ]
    return render_to_string(names, indexed_date_hierarchy(cl))


@register.inclusion_tag("admin/articles/desk_home.html", takes_context=True)
def desk_home(context):
    """Render the desk home's shelves of stories for the user of the page, and the background queue's notice."""
    request = context["request"]
    return {
        "shelves": dashboard.shelves(request, admin.site.get_model_admin(Article)),
        "queue": background.queue_notice(request.user),
    }
