"""The editors' desk in the Django admin."""

import json

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import construct_instance
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from taggit import admin as taggit_admin
from taggit.models import Tag

from articles.core import events, limits
from articles.desk import (
    autosave,
    choosers,
    dashboard,
    diffing,
    editor,
    incoming,
    merging,
    people,
    pictures,
    publishing,
    revisions,
    search,
    softlock,
    tagging,
    workflow,
)
from articles.desk.labels import NamedCellsFormSet, NamedDateAndTimeInputs
from articles.desk.timezone import local
from articles.models import (
    Article,
    ArticleRedirect,
    Authorship,
    Correction,
    EditConflict,
    Image,
    Mention,
    Person,
    RelatedLink,
    Section,
    bylines,
)

Status = Article.Status
# Fields whose differences the conflict and compare pages show as a diff, line by line.
LONG_TEXT = {"body", "dek", "lead_image_caption"}
SHORT_TEXT = {"headline", "slug", "dateline", "source", "source_id", "seo_title", "seo_description"}


class ShownWithoutSaving(Exception):
    """Carries a page drawn inside a transaction that must be rolled back."""

    def __init__(self, response):
        super().__init__("shown without saving")
        self.response = response


def count_of(rows):
    """Return an expression counting rows (a queryset filtered on OuterRef) for each row of a list.

    A correlated COUNT that the foreign key's index answers; annotate(Count(...)) would join and group
    every story of the newsroom to count a page of 100 sections or people.
    """
    counted = rows.order_by().annotate(_n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("_n")
    return Coalesce(Subquery(counted), 0)


class DrillDownWithinBounds:
    """The date drill-down of a list: an address naming a year outside articles.core.limits is a bad lookup.

    Django works out the year after the one asked for, which overflows for 9999.
    """

    def changelist_view(self, request, extra_context=None):
        return self.out_of_bounds(request) or super().changelist_view(request, extra_context)

    def out_of_bounds(self, request):
        """Send a drill-down to a year out of bounds back to the whole list, saying why; None if it is not."""
        year = request.GET.get(f"{self.date_hierarchy}__year", "")
        if year.isdigit() and not limits.year_in_range(int(year)):
            self.message_user(request, f"Nothing is dated in the year {year}.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        return None


class SharedWithPublishedStories:
    """Pictures, people and tags: what a published story shows, reporters see read-only, and are told why."""

    def refusal(self, request, obj):
        """Return why the user may not change obj, asked of the database once per request; "" if they may."""
        answers = getattr(request, "desk_shared_refusals", None)
        if answers is None:
            answers = request.desk_shared_refusals = {}
        key = (obj._meta.label, obj.pk)
        if key not in answers:
            answers[key] = publishing.shared_refusal(request.user, obj)
        return answers[key]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not self.refusal(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not self.refusal(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        refusal = obj is not None and self.refusal(request, obj)
        if refusal and request.method == "POST":
            self.message_user(request, f"{refusal} Nothing was changed.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        if refusal:
            self.message_user(request, refusal, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Section)
class SectionAdmin(choosers.NamedSectionChoices, admin.ModelAdmin):
    ordering = ["position", "path"]
    list_display = ["name", "path", "parent", "position", "article_count"]
    list_editable = ["position"]
    list_select_related = ["parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "description", "position", "path"]
    readonly_fields = ["path"]

    def get_queryset(self, request):
        stories = Article.objects.filter(primary_section=OuterRef("pk"))
        return super().get_queryset(request).annotate(_article_count=count_of(stories))

    @admin.display(description="Stories", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count


@admin.register(Person)
class PersonAdmin(SharedWithPublishedStories, people.LinkedAccount, admin.ModelAdmin):
    ordering = ["name", "pk"]
    list_display = ["name", "job_title", "affiliation", "mention_count"]
    search_fields = ["name", "aliases", "job_title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "affiliation", "photo"]}),
        ("Biography", {"fields": ["bio"]}),
        ("Other spellings", {"fields": ["aliases"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        mentions = Mention.objects.filter(person=OuterRef("pk"))
        return super().get_queryset(request).annotate(_mention_count=count_of(mentions))

    @admin.display(description="Stories mentioning", ordering="_mention_count")
    def mention_count(self, obj):
        return obj._mention_count


@admin.register(Image)
class ImageAdmin(pictures.PictureChooserViews, SharedWithPublishedStories, admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["caption", "alt_text", "credit", "file"]
    date_hierarchy = "created_at"
    fields = ["file", "alt_text", "caption", "credit", "size", "key"]
    readonly_fields = ["size", "key"]

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        return pictures.list_thumbnail(obj)

    @admin.display(description="Pixels")
    def size(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "no file (caption only)"


class StoryPartInline:
    """An inline that follows its story: its rows can be changed exactly when the story can."""

    extra = 0
    formset = NamedCellsFormSet  # a table's cells named by column and row, for screen readers

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and (obj is None or publishing.may_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or publishing.may_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or publishing.may_edit(request.user, obj))


class AuthorshipInline(people.OwnBylineFirst, StoryPartInline, admin.TabularInline):
    model = Authorship
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]
    verbose_name = "byline"
    verbose_name_plural = "byline"


class MentionInline(StoryPartInline, admin.TabularInline):
    model = Mention
    autocomplete_fields = ["person"]
    fields = ["person", "title", "position"]
    verbose_name = "person mentioned"
    verbose_name_plural = "people mentioned"


class RelatedLinkInline(StoryPartInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    fields = ["position", "kind", "title", "target_article", "url", "anchor_block"]


class CorrectionInline(NamedDateAndTimeInputs, StoryPartInline, admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "published_at"]


def opened_status(form):
    """Return the status the story had when its form was opened (a new story's is draft)."""
    if "status" not in form.fields:
        return form.instance.status
    return form.initial.get("status", Status.DRAFT)


class ArticleAdminForm(forms.ModelForm):
    """The story form: it remembers the version it was opened at and checks every status move."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None  # ArticleAdmin.get_form sets it on the form class it builds for each request

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "dek", "primary_section", "body", "lead_image", "lead_image_caption", "status",
            "published_at", "embargo_until", "updated_at", "dateline", "source", "source_id", "seo_title",
            "seo_description",
        ]  # fmt: skip
        field_classes = {"body": editor.BodyField}
        # No status dropdown: the workflow buttons move a story, and a plain save keeps its status.
        widgets = {"body": editor.BodyEditor, "status": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        # The values the story had when opened travel with the form, so that after a conflict the desk
        # can tell what this editor changed from what the other save changed.
        for name, field in self.fields.items():
            field.show_hidden_initial = name != "opened_version"

    def clean(self):
        cleaned = super().clean()
        for name in LONG_TEXT | SHORT_TEXT:
            if merging.has_marks(cleaned.get(name)):
                self.add_error(
                    name, gettext("Settle the marked conflict first: keep what you want and delete the marker lines.")
                )
        if self.instance.pk is not None and cleaned.get("opened_version") is None:
            self.add_error(None, "This form does not say which version of the story it edits; reload the story.")
        if "status" not in self.fields:
            return cleaned  # restoring a revision: the story stays where it is, whatever buttons say
        from_status = opened_status(self)
        to_status = publishing.requested_status(self.data) or cleaned.get("status") or from_status
        if to_status == from_status:
            return cleaned
        # Judge the story as it would be saved; the instance itself is filled in after clean().
        candidate = construct_instance(self, Article())
        problems = publishing.move_problems(
            article=candidate, from_status=from_status, to_status=to_status, user=self.user
        )
        if problems:
            # The refused status must not reach the instance, which the admin re-checks permissions on.
            cleaned["status"] = from_status
            raise ValidationError(problems)
        cleaned["status"] = to_status
        if to_status == Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned


# What autosave keeps: the story's own fields as the form has them, never its status.
AUTOSAVED_FIELDS = frozenset(ArticleAdminForm.Meta.fields) - {"status"}


class BylineFilter(admin.SimpleListFilter):
    """Stories by one person in the byline, choosing among the people who have bylines at all."""

    title = "byline"
    parameter_name = "byline"

    def lookups(self, request, model_admin):
        bylined = Person.objects.filter(Exists(Authorship.objects.filter(person=OuterRef("pk"))))
        return [(str(pk), name) for pk, name in bylined.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(pk__in=Authorship.objects.filter(person_id=self.value()).values("article_id"))

    def choices(self, changelist):
        # A newsroom has thousands of bylines: build the list's query string once, not once per name.
        yield next(iter(super().choices(changelist)))  # "All"
        base = changelist.get_query_string(remove=[self.parameter_name])
        joiner = "&" if len(base) > 1 else ""
        for pk, name in self.lookup_choices:
            yield {
                "selected": self.value() == pk,
                "query_string": f"{base}{joiner}{self.parameter_name}={pk}",
                "display": name,
            }


@admin.register(Article)
class ArticleAdmin(
    NamedDateAndTimeInputs,
    tagging.QuickTags,
    choosers.NamedSectionChoices,
    DrillDownWithinBounds,
    workflow.WorkflowAdmin,
    pictures.ChoosesLeadPicture,
    VersionAdmin,
):
    form = ArticleAdminForm
    history_latest_first = True  # the desk looks for what just happened
    list_display = [
        "headline", "status_label", "primary_section", "bylines", "published_at", "updated_at", "last_modified",
    ]  # fmt: skip
    list_filter = [
        "status", dashboard.TimingFilter, dashboard.CreatedByFilter, ("primary_section", choosers.SectionListFilter),
        BylineFilter, "published_at",
    ]  # fmt: skip
    # Sections come in one query for the page (get_queryset prefetches them): joined, SQLite reads every
    # story an offset skips, a second for page 1000. An empty list, because False joins every ForeignKey
    # that list_display shows.
    list_select_related = ()
    # What the search box looks in; get_search_results answers it from the full-text index instead of LIKE.
    search_fields = ["headline", "dek", "body", "people__name", "authors__name", "guid", "source_id"]
    search_help_text = "Words in the headline, standfirst or body, a name in the byline or mentioned, or a guid."
    show_full_result_count = False  # a second COUNT of 100,000 stories on every filtered page
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["primary_section"]  # the lead picture has a chooser of its own (desk/pictures.py)
    readonly_fields = ["guid", "version", "last_modified", "created_by", "status_label", "status_history"]
    inlines = [AuthorshipInline, MentionInline, RelatedLinkInline, CorrectionInline]  # tags: tagging.QuickTags
    actions = ["submit_for_review", "publish", "withdraw", "back_to_draft"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "primary_section", "body", "opened_version"]}),
        ("Lead picture", {"fields": ["lead_image", "lead_image_caption"]}),
        (
            "Publication",
            {"fields": ["status_label", "status", "published_at", "embargo_until", "updated_at", "status_history"]},
        ),
        ("Wire", {"fields": ["dateline", "source", "source_id"], "classes": ["collapse"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Record", {"fields": ["guid", "created_by", "version", "last_modified"], "classes": ["collapse"]}),
    ]
    change_list_template = "admin/articles/article/change_list.html"  # reversion's, with a quick date drill-down
    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("primary_section", bylines())

    def get_search_results(self, request, queryset, search_term):
        return search.search_stories(queryset, search_term), False

    def view_on_site(self, obj):
        """The story's public address once it is public; until then its preview, which staff can open."""
        if obj.is_public():
            return obj.get_absolute_url()
        return reverse("articles:article-preview", kwargs={"guid": obj.guid})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("link-search/", view(editor.link_search), name="articles_article_link_search"),
            path("<path:object_id>/conflict/", view(self.conflict_view), name="articles_article_conflict"),
            path("<path:object_id>/autosave/", view(self.autosave_view), name="articles_article_autosave"),
            path(
                "<path:object_id>/autosave/discard/",
                view(self.discard_draft_view),
                name="articles_article_discard_draft",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            # An action posted by someone it is not offered to (a reporter publishing) is refused, saying why.
            name = request.POST.get("action", "")
            if name in self.actions and name not in self.get_actions(request):
                self.message_user(request, f"{publishing.EDITORS_ONLY} Nothing was changed.", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            return super().changelist_view(request, extra_context)  # bulk actions: one revision for them all
        # Reading the list writes nothing: no revision, so no transaction and no savepoint queries around it.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return self.out_of_bounds(request) or admin.ModelAdmin.changelist_view(self, request, context)

    # Who may do what: the rules live in articles.desk.publishing.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or publishing.may_edit(request.user, obj))

    def has_publish_permission(self, request):
        return publishing.is_editor(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: nothing will be saved, so there is no version to carry.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "opened_version"]})
            for name, opts in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request by modelform_factory, so nothing leaks
        return form

    # The change form.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not context.get("revert") and not context.get("recover"):
            context.update(self.workflow_context(request, obj))
            if obj is not None:
                incoming.note_origin(request, obj)
                if self.has_change_permission(request, obj):
                    context.update(self._autosave_context(request, obj, context["adminform"].form))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        publishing.save_edit(
            article=obj,
            user=request.user,
            from_status=opened_status(form),
            opened_version=form.cleaned_data.get("opened_version"),
        )
        softlock.after_save(article=obj, user=request.user)
        request.session.pop(self._conflict_key(obj.pk), None)
        autosave.discard(article=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A correction saved with the story has just moved its "updated" time in the database. The
        # revision took the story when it was saved, before its inlines: take it again, so that the
        # history (and a restore) holds the time readers were shown.
        story = form.instance
        shown_before = story.updated_at
        story.refresh_from_db(fields=["updated_at", "last_modified"])
        if story.updated_at != shown_before and reversion.is_active():
            reversion.add_to_revision(story)
        publishing.announce_edit(
            article=story,
            from_status=opened_status(form),
            corrected=any(formset.model is Correction and formset.has_changed() for formset in formsets),
            changed=form.has_changed() or any(formset.has_changed() for formset in formsets),
        )

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        named = publishing.describe(opened_status(form), form.instance.status)
        if not named:
            return message
        # The history and the revision both name the move first: "Published. Changed Body."
        details = LogEntry(change_message=json.dumps(message)).get_change_message() if message else ""
        return f"{named}. {details}".strip()

    def response_add(self, request, obj, post_url_continue=None):
        if publishing.requested_status(request.POST) is not None:
            return self._after_move(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if publishing.requested_status(request.POST) is not None:
            return self._after_move(request, obj)
        return super().response_change(request, obj)

    def _after_move(self, request, obj):
        self.message_user(request, self._moved_message(obj), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[quote(obj.pk)]))

    @staticmethod
    def _moved_message(obj):
        if obj.status == Status.PUBLISHED and obj.published_at > timezone.now():
            return f"“{obj}” is scheduled for {local(obj.published_at)}."
        return f"“{obj}” is now {obj.get_status_display().lower()}."

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Everything of this save was rolled back; keep what the editor sent for the conflict page.
            submitted = [(key, values) for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"]
            request.session[self._conflict_key(conflict.article.pk)] = {
                "data": submitted,
                "opened_version": conflict.opened_version,
            }
            return HttpResponseRedirect(reverse("admin:articles_article_conflict", args=[object_id]))

    @staticmethod
    def _conflict_key(pk):
        return f"desk-conflict-{pk}"

    # Autosave: a private draft copy of the form, kept while the editor types (articles.desk.autosave).

    def autosave_view(self, request, object_id):
        return autosave.keep(request, unquote(object_id), fields=AUTOSAVED_FIELDS)

    def discard_draft_view(self, request, object_id):
        article = get_object_or_404(Article, pk=unquote(object_id))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        autosave.discard(article=article, user=request.user)
        self.message_user(request, gettext("Your unsaved changes were discarded."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[quote(article.pk)]))

    def _autosave_context(self, request, obj, form):
        copy = autosave.offered_copy(article=obj, user=request.user, form=form)
        return {
            "autosave_url": reverse("admin:articles_article_autosave", args=[quote(obj.pk)]),
            "autosave_interval": autosave.INTERVAL_SECONDS,
            "draft_copy": copy,
            "draft_copy_stale": copy is not None and copy.opened_version < obj.version,
        }

    # Revisions. Reversion's own views revert every object of a revision and check permission on what the
    # revert made; these bring back one story's own rows, and check who may act on the story first.

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if getattr(request, "desk_restoring", False):
            return [*fields, *revisions.LIVE_FIELDS]
        return fields

    def revision_view(self, request, object_id, version_id, extra_context=None):
        story = get_object_or_404(Article, pk=unquote(object_id))
        allowed = self.has_change_permission if request.method == "POST" else self.has_view_or_change_permission
        if not allowed(request, story):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(story), pk=version_id)
        context = {"title": f"Revert {version.object_repr}", "revert": True, **(extra_context or {})}
        return self._revision_form(
            request, version, story.pk, restoring=True, template=self.revision_form_template, context=context
        )

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_for_model(Article), pk=version_id)
        try:
            saved = version.field_dict
        except RevertError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_recoverlist"))
        existing = Article.objects.filter(Q(pk=version.object_id) | Q(guid=saved["guid"])).first()
        if existing is not None:
            self.message_user(
                request,
                f"“{existing}” is not deleted, so there is nothing to recover. "
                "To bring back earlier text, open the story's history and restore a revision from there.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[quote(existing.pk)]))
        if not publishing.may_recover(request.user, created_by_id=saved["created_by_id"], status=saved["status"]):
            raise PermissionDenied
        context = {"title": f"Recover {version.object_repr}", "recover": True, **(extra_context or {})}
        template = self.recover_form_template or "reversion/recover_form.html"
        return self._revision_form(
            request, version, int(version.object_id), restoring=False, template=template, context=context
        )

    def recoverlist_view(self, request, extra_context=None):
        deleted = Version.objects.get_deleted(Article).select_related("revision__user")
        deleted = list(deleted.order_by(*self.get_version_ordering(request)))
        # A story deleted and written again under the same guid is not deleted.
        guids = {version.field_dict["guid"] for version in deleted}
        alive = set(Article.objects.filter(guid__in=guids).values_list("guid", flat=True))
        shown = [
            version
            for version in deleted
            if version.field_dict["guid"] not in alive
            and publishing.may_recover(
                request.user, created_by_id=version.field_dict["created_by_id"], status=version.field_dict["status"]
            )
        ]
        return super().recoverlist_view(request, {**(extra_context or {}), "deleted": shown})

    def _revision_form(self, request, version, story_pk, *, restoring, template, context):
        """Show (GET) or save (POST) the story as the revision has it, with the change form of the desk.

        What the revision brings back is written in a transaction, so that the form shows it; a GET, or a
        POST the form refuses, rolls it all back.
        """
        parts = revisions.own_parts(version.revision, story_pk, with_corrections=not restoring)
        request.desk_restoring = restoring
        when = local(version.revision.date_created)
        try:
            with transaction.atomic():
                if restoring:
                    revisions.restore(version, parts, story_pk=story_pk)
                else:
                    revisions.recover(version, parts)
                with self.create_revision(request):
                    response = self.changeform_view(request, quote(str(story_pk)), request.path, context)
                    if request.method == "POST" and response.status_code == 302:
                        reversion.set_comment(f"Restored the revision of {when}." if restoring else "Recovered.")
                        return response
                    if response.status_code == 200:
                        response.template_name = template
                        response.render()
                    raise ShownWithoutSaving(response)
        except ShownWithoutSaving as shown:
            return shown.response
        except EditConflict:
            self.message_user(
                request, "Someone saved the story while you were restoring it; nothing was changed.", messages.ERROR
            )
        except (RevertError, IntegrityError) as error:
            self.message_user(request, f"The revision could not be brought back: {error}", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def delete_model(self, request, obj):
        # A story that was never saved through the desk has no revision yet; take one so it can be recovered.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Deleted.")
            reversion.add_to_revision(obj)
        publishing.announce_deletion(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for story in queryset.only("pk", "guid", "headline", "status"):
                publishing.announce_deletion(story)
            super().delete_queryset(request, queryset)

    def compare_view(self, request, object_id, version_id):
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"), pk=version_id
        )
        then = version.field_dict
        rows = [
            self._difference(
                name,
                _shown_value(name, then.get(name)),
                _shown_value(name, getattr(article, name)),
            )
            for name in ["headline", "dek", "status", "body"]
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare a revision of “{article}” with the story now",
            "version": version,
            "rows": rows,
            "unchanged": all(not row["changed"] for row in rows),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @staticmethod
    def _difference(name, old, new, label=None):
        label = label or Article._meta.get_field(name).verbose_name.capitalize()
        return {
            "name": name,
            "label": label,
            "old": old,
            "new": new,
            "changed": old != new,
            "diff": diffing.text_diff(old, new) if name in LONG_TEXT else None,
        }

    # Conflicts.

    @staticmethod
    def _merge_row(row, base, mine, theirs):
        """Add to a conflict page's row of a text field each side's changes, word by word, and their merge."""
        row["their_changes"] = diffing.word_diff(base, theirs)
        row["your_changes"] = diffing.word_diff(base, mine)
        merge = merging.merge_text(base, mine, theirs) if row["name"] in LONG_TEXT else None
        row["merge"] = merge or merging.merge_value(base, mine, theirs)
        row["marked"] = merge is not None
        # A one-line field cannot hold conflict markers: her value stands in the box, theirs is shown beside.
        row["merged"] = row["merge"].text() if merge or not row["merge"].conflicts else mine

    def conflict_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        stash = request.session.get(self._conflict_key(article.pk))
        if not stash:
            self.message_user(request, "There is no unsaved edit of this story to compare.", messages.INFO)
            return HttpResponseRedirect(change_url)
        submitted = _post_data(stash["data"])
        opened = _post_data(
            [(key.removeprefix("initial-"), values) for key, values in stash["data"] if key.startswith("initial-")]
        )
        form_class = self.get_form(request, article, change=True)

        def bound(data, against_opened):
            form = form_class(data, instance=self.get_object(request, unquote(object_id)))
            for field in form.fields.values():
                field.show_hidden_initial = against_opened
            form.full_clean()
            return form

        # Three comparisons: what this editor changed since opening the story, what the other save changed
        # since then, and where this editor's form and the story as saved now differ at all.
        mine = bound(submitted, against_opened=True)
        yours_changed = set(mine.changed_data) - {"opened_version"}
        theirs_changed = set(bound(opened, against_opened=False).changed_data) - {"opened_version"}
        differing = set(bound(submitted, against_opened=False).changed_data)
        saved_now = form_class(instance=article)
        rows = []
        for name in mine.fields:
            if name not in differing or not ({name} & (yours_changed | theirs_changed)):
                continue
            if name in yours_changed and name in theirs_changed:
                who = gettext("You both changed this.")
            elif name in yours_changed:
                who = gettext("Only you changed this: yours is kept.")
            else:
                who = gettext("Only they changed this: theirs is kept.")
            yours = mine.cleaned_data.get(name, submitted.get(name, ""))
            row = self._difference(
                name,
                _shown_value(name, getattr(article, name)),
                _shown_value(name, yours),
                label=str(mine.fields[name].label or name).capitalize(),
            )
            row["who"] = who
            if name in LONG_TEXT | SHORT_TEXT:
                self._merge_row(row, opened.get(name, ""), submitted.get(name, ""), saved_now[name].value() or "")
                row["editable"] = name in yours_changed and name in theirs_changed
            rows.append(row)
        # The form to send again: where both changed a text, the merged text; where only the other save
        # changed a field, or both changed a choice, what is saved now; the rest as sent.
        merged_by_hand = {row["name"] for row in rows if row.get("editable")}
        # Bylines, people, tags, links and corrections stay as saved now: their rows carry no opened values
        # to tell whose change is whose, so the merged save leaves them alone and says where this editor's
        # differ, to be made again.
        parts = []
        for formset_class, inline in self.get_formsets_with_inlines(request, article):
            prefix = formset_class.get_default_prefix()
            sent = formset_class(submitted, instance=article, prefix=prefix, queryset=inline.get_queryset(request))
            parts.append((prefix, inline.verbose_name_plural, sent.is_bound and sent.has_changed()))
        kept = [
            (key, value)
            for key, values in stash["data"]
            if not key.startswith(("_", "initial-", *(f"{prefix}-" for prefix, _, _ in parts)))
            and key != "opened_version"
            and autosave.field_of(key) not in theirs_changed
            for value in values
        ]
        kept += [(f"{prefix}-{count}", 0) for prefix, _, _ in parts for count in ("TOTAL_FORMS", "INITIAL_FORMS")]
        theirs = [saved_now[name].as_hidden() for name in theirs_changed - merged_by_hand if name in saved_now.fields]
        # The story as saved now is what the merged form starts from.
        theirs += [
            saved_now[name].as_hidden(only_initial=True) for name in saved_now.fields if name != "opened_version"
        ]
        latest = Version.objects.get_for_object(article).select_related("revision__user").first()
        saver = latest.revision.user if latest else None
        in_another_tab = saver is not None and saver.pk == request.user.pk
        saver_name = (saver.get_full_name() or saver.get_username()) if saver else gettext("Someone")
        if in_another_tab:
            title = gettext("You saved “%(story)s” in another tab while you were editing it here") % {"story": article}
        else:
            title = gettext("%(name)s saved “%(story)s” while you were editing it") % {
                "name": saver_name,
                "story": article,
            }
        editable = [row for row in rows if row.get("editable")]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            "rows": rows,
            "kept": kept,
            "theirs": theirs,
            "parts_not_carried": [name for _, name, changed in parts if changed],
            "current_version": article.version,
            "opened_version": stash["opened_version"],
            "latest": latest.revision if latest else None,
            "saver_name": saver_name,
            "in_another_tab": in_another_tab,
            "merged_rows": editable,
            "conflicts": sum(row["merge"].conflicts for row in editable),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/articles/article/conflict.html", context)

    # Bulk actions: the same moves as the change form's buttons, all or nothing.

    def _move_selected(self, request, queryset, to_status):
        try:
            changes = publishing.move_many(
                articles=queryset.select_related("lead_image"), to_status=to_status, user=request.user
            )
        except publishing.WorkflowError as refusal:
            for problem in refusal.messages:
                self.message_user(request, problem, messages.ERROR)
            self.message_user(request, "Nothing was changed.", messages.ERROR)
            return
        for change in changes:
            self.log_change(request, change.article, f"{publishing.describe(change.from_status, change.to_status)}.")
        if changes:
            self.message_user(request, " ".join(self._moved_message(c.article) for c in changes), messages.SUCCESS)

    @admin.action(description="Submit the selected stories for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move_selected(request, queryset, Status.REVIEW)

    @admin.action(description="Publish the selected stories", permissions=["publish"])
    def publish(self, request, queryset):
        self._move_selected(request, queryset, Status.PUBLISHED)

    @admin.action(description="Withdraw the selected stories", permissions=["publish"])
    def withdraw(self, request, queryset):
        self._move_selected(request, queryset, Status.WITHDRAWN)

    @admin.action(description="Send the selected stories back to draft", permissions=["change"])
    def back_to_draft(self, request, queryset):
        self._move_selected(request, queryset, Status.DRAFT)

    # Columns and read-only fields.

    @admin.display(description="Byline")
    def bylines(self, obj):
        return ", ".join(a.person.name for a in obj.authorships.all()) or "—"

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return workflow.status_text(obj)

    @admin.display(description="Workflow history")
    def status_history(self, obj):
        if obj.pk is None:
            return "—"
        changes = obj.status_changes.select_related("user")
        return (
            format_html_join(
                "",
                "<p>{} → {} by {}, {}</p>",
                (
                    (
                        c.get_from_status_display(),
                        c.get_to_status_display(),
                        (c.user.get_full_name() or c.user.get_username()) if c.user else "someone",
                        local(c.at),
                    )
                    for c in changes
                ),
            )
            or "—"
        )


def _post_data(pairs):
    """Rebuild submitted form data from the [(key, [values])] kept in the session."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in pairs:
        data.setlist(key, values)
    return data


def _shown_value(name, value):
    """Return a field's value as text the desk can read and compare."""
    if value is None or value == "":
        return ""
    if name == "tags":
        return tagging.shown_names(value)
    field = Article._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        if isinstance(value, int | str):
            found = field.related_model._default_manager.filter(pk=value).first()
            return str(found) if found else str(value)
        return str(value)
    if hasattr(value, "tzinfo"):
        return local(value)
    return str(value)


class EditorsChangeStoryParts:
    """On their own lists a story's parts are for editors; reporters change them inside their own drafts."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and publishing.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and publishing.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and publishing.is_editor(request.user)


@admin.register(Correction)
class CorrectionAdmin(DrillDownWithinBounds, EditorsChangeStoryParts, admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind", "published_at"]
    list_select_related = ["article"]
    ordering = ["-published_at", "-pk"]  # the model's order sorts every correction by its story's date
    show_full_result_count = False
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.article.status == Status.PUBLISHED:
            publishing.announce(article=obj.article, event=events.CORRECT)


@admin.register(RelatedLink)
class RelatedLinkAdmin(EditorsChangeStoryParts, admin.ModelAdmin):
    list_display = ["title", "article", "kind", "position", "destination"]
    list_filter = ["kind"]
    list_select_related = ["article", "target_article"]
    ordering = ["-pk"]  # newest first; the model's order sorts every link by its story's date
    show_full_result_count = False
    search_fields = ["title", "url", "article__headline"]
    autocomplete_fields = ["article", "target_article"]

    @admin.display(description="Goes to")
    def destination(self, obj):
        return obj.target_article or obj.url


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old addresses of moved stories. Made automatically when a published story's address changes."""

    list_display = ["old_path", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_path", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"


# taggit registers its own Tag admin when imported; the desk's puts the same rules on tags as on people.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(SharedWithPublishedStories, taggit_admin.TagAdmin):
    pass
