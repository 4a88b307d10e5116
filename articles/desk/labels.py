"""Names for the desk's inputs that Django's admin widgets leave unnamed, so screen readers can say them.

The admin draws a date and time as two inputs with one label it cannot point at both (a MultiWidget has
no single id), and its autocomplete boxes as select2 comboboxes named only by their current value;
`static/js/desk-labels.js` names those from the field's label. Here, each half of a date and time gets
its own accessible name from the field's label: "Publication time: date", "Publication time: time";
and the cells of a table of inline rows (bylines, people, links), whose column headings are not labels,
are named by their column and row: "Role, row 2".
"""

from django.contrib.admin import widgets
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext


def name_date_and_time(formfield):
    """Give both inputs of an admin date-and-time widget an accessible name from the field's label."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, widgets.AdminSplitDateTime):
        label = capfirst(formfield.label or "")
        date_input, time_input = widget.widgets
        date_input.attrs["aria-label"] = gettext("%(field)s: date") % {"field": label}
        time_input.attrs["aria-label"] = gettext("%(field)s: time") % {"field": label}
    return formfield


class NamedDateAndTimeInputs:
    """A ModelAdmin or inline whose date-and-time fields name both of their inputs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField):
            name_date_and_time(formfield)
        return formfield


class NamedCellsFormSet(BaseInlineFormSet):
    """The rows of a tabular inline, each input named by its column and its row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = gettext("new row") if index is None else gettext("row %(number)d") % {"number": index + 1}
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            name_date_and_time(field)
            label = capfirst(field.label or name)
            field.widget.attrs["aria-label"] = gettext("%(field)s, %(row)s") % {"field": label, "row": row}
