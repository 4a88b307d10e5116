"""Section choosers that name sections as editors do ("News › Middle East"), not by their paths.

Section.__str__ stays the path: revisions, conflict pages and logs name a section by it, and it is what
fixtures and the reader side use.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from articles.models import Section

# Three levels come with the section in one query; a deeper section asks for the rest of its trail.
TRAIL = "parent__parent"


def section_label(section):
    """Return a section's name with the names of the sections above it: "News › Middle East"."""
    return " › ".join(s.name for s in [*section.ancestors(), section])


class SectionChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related(TRAIL), **kwargs)

    def label_from_instance(self, obj):
        return section_label(obj)


class NamedSectionChoices:
    """A ModelAdmin whose foreign keys to sections choose by name."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Section:
            kwargs.setdefault("form_class", SectionChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionListFilter(admin.RelatedFieldListFilter):
    """The list's section filter, by name."""

    def field_choices(self, field, request, model_admin):
        return [(section.pk, section_label(section)) for section in Section.objects.select_related(TRAIL)]


class DeskAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers, with sections by name (Django documents serialize_result for this)."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Section):
            result["text"] = section_label(obj)
        return result

    def get_queryset(self):
        found = super().get_queryset()
        return found.select_related(TRAIL) if found.model is Section else found


def autocomplete_view(admin_site):
    """Return the desk's autocomplete view, for the admin's own autocomplete address."""
    return admin_site.admin_view(DeskAutocompleteJsonView.as_view(admin_site=admin_site))
