"""A story's tags typed in one box, comma-separated, with suggestions from the tags the newsroom has.

A name that matches an existing tag in all but case is that tag, so typing never makes a near-duplicate
and never renames a tag a published story shows. A name no tag has yet becomes a new tag when the
story is saved, for anyone allowed to add tags (both desk roles are).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from articles.models import Article

SUGGESTIONS = 10
NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def split_names(text: str) -> list[str]:
    """Return the tag names in a comma-separated text, in order, each once (a name with a comma is quoted)."""
    names, current, quoted = [], [], False
    for char in text:
        if char == '"' and (quoted or not "".join(current).strip()):
            quoted = not quoted
        elif char == "," and not quoted:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    seen, unique = set(), []
    for name in (" ".join(name.split()) for name in names):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


def join_names(names) -> str:
    """Return names as the box shows them: "Damascus, Syria", with a name holding a comma in quotes."""
    return ", ".join(f'"{name}"' if "," in name else name for name in names)


def shown_names(value) -> str:
    """Return a story's tags (its tag manager, or names as a form cleaned them) as the desk shows them."""
    tags = value.all() if hasattr(value, "all") else value or []
    return join_names(sorted(getattr(tag, "name", tag) for tag in tags))


class TagNamesInput(forms.TextInput):
    """A text box for tag names; desk-tags.js adds the suggestions list and Enter to finish a name."""

    class Media:
        js = ["js/desk-tags.js"]

    def __init__(self, suggestions_url, attrs=None):
        super().__init__({"class": "vTextField", "autocomplete": "off", **(attrs or {})})
        self.attrs["data-tag-suggestions"] = suggestions_url


class TagNamesField(forms.Field):
    """Tag names typed comma-separated; cleans to the names to save, spelled as the tags already are."""

    def __init__(self, *, user, suggestions_url, **kwargs):
        self.user = user
        kwargs.setdefault("widget", TagNamesInput(suggestions_url))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value or ""
        return join_names(getattr(tag, "name", tag) for tag in value)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [getattr(tag, "name", tag) for tag in value]
        return split_names(value or "")

    def clean(self, value):
        names = super().clean(value)
        too_long = [name for name in names if len(name) > NAME_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                gettext_lazy("A tag name can be at most %(limit)d characters long: “%(name)s…” is longer."),
                params={"limit": NAME_MAX_LENGTH, "name": too_long[0][:40]},
            )
        if not names:
            return []
        any_case = Q()
        for name in names:
            any_case |= Q(name__iexact=name)
        existing = {name.casefold(): name for name in Tag.objects.filter(any_case).values_list("name", flat=True)}
        new = [name for name in names if name.casefold() not in existing]
        if new and not self.user.has_perm("taggit.add_tag"):
            raise forms.ValidationError(
                gettext_lazy("You may use only existing tags; ask an editor to create “%(name)s”."),
                params={"name": new[0]},
            )
        return [existing.get(name.casefold(), name) for name in names]

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before = {name.casefold() for name in self.to_python(initial)}
        return before != {name.casefold() for name in self.to_python(data)}


class QuickTags:
    """The story form's tags as one box of names, and the suggestions it asks for."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        after = fields.index("primary_section") + 1 if "primary_section" in fields else len(fields)
        fields.insert(after, "tags")
        return [(name, {**options, "fields": fields}), *rest]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.model is Article and db_field.name == "tags":
            return TagNamesField(
                user=request.user,
                suggestions_url=reverse("admin:articles_article_tag_names"),
                required=False,
                label=gettext_lazy("Tags"),
                help_text=gettext_lazy(
                    "Places, organisations and topics, separated by commas. A new name becomes a new tag when "
                    "the story is saved."
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view(self.tag_names_view)
        return [path("tags/", view, name="articles_article_tag_names"), *super().get_urls()]

    def tag_names_view(self, request):
        """Answer the names of up to ten tags containing the words typed, those starting with them first."""
        if not (request.user.has_perm("taggit.view_tag") or request.user.has_perm("taggit.add_tag")):
            raise PermissionDenied
        typed = " ".join(request.GET.get("q", "").split())[:NAME_MAX_LENGTH]
        if not typed:
            return JsonResponse({"results": []})
        starting_first = Case(
            When(name__istartswith=typed, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        names = (
            Tag.objects.filter(name__icontains=typed)
            .order_by(starting_first, "name")
            .values_list("name", flat=True)[:SUGGESTIONS]
        )
        return JsonResponse({"results": list(names)})
