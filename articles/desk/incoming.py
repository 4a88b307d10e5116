"""The desk's Incoming list: agencies' items waiting to be taken, what changed between their versions, and Take.

The queue's rules (what an arrival replaces, ignores or kills, and how a story is made) live in
articles/interchange/incoming.py; this module shows the queue and lets editors act on it.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.desk import diffing
from articles.desk.timezone import local
from articles.interchange import fixture_builder
from articles.interchange import incoming as queue
from articles.models import Article, WireItem

TAKE_PERMISSION = "articles.add_article"
# What the agency sent around the copy, on the item's page.
ENVELOPE = ["guid", "version", "received_at", "sent_at", "priority", "urgency", "embargo", "subjects", "filename"]
MAY_NOT_TAKE = "Only members of the desk who may start stories (reporters and editors) can take an item."


def may_take(user):
    """Tell whether user may make stories from the queue: whoever may add a story."""
    return user.has_perm(TAKE_PERMISSION)


def killed_and_published(entry):
    """Tell whether the agency killed an item whose story the site has published."""
    story = entry.taken_story
    return entry.killed and story is not None and story.status == Article.Status.PUBLISHED


def note_origin(request, article):
    """Tell whoever opens a story taken from the queue which item it came from, and warn if the agency killed it.

    The warning is an error only while the story is published: a killed draft is simply not published.
    """
    if article is None or article.pk is None:
        return
    entry = WireItem.objects.filter(taken_story=article).order_by("-pk").first()
    if entry is None:
        return
    link = format_html('<a href="{}">{}</a>', reverse("admin:articles_wireitem_change", args=[quote(entry.pk)]), entry)
    if entry.killed and article.status == Article.Status.PUBLISHED:
        messages.error(
            request,
            format_html(
                "{}. The story is still published: withdraw or correct it if you agree. (Incoming item: {})",
                queue.kill_notice(entry),
                link,
            ),
        )
    elif entry.killed:
        messages.warning(request, format_html("{}. (Incoming item: {})", queue.kill_notice(entry), link))
    else:
        messages.info(request, format_html("Taken from the incoming queue: {}.", link))


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = [
        "received",
        "source",
        "format",
        "priority",
        "slugline",
        "headline",
        "embargo_label",
        "status_label",
        "version",
        "taken",
    ]
    list_display_links = ["headline"]
    list_filter = ["source", "format", "pub_status"]
    list_select_related = ["taken_story"]
    search_fields = ["slugline", "headline"]
    search_help_text = "Words in the slugline or headline."
    show_full_result_count = False
    actions = ["take_selected"]
    fieldsets = [
        (None, {"fields": ["status_label", "headline", "slugline", "source", "format", "taken"]}),
        ("The story", {"fields": ["story"]}),
        ("What changed", {"fields": ["changes"]}),
        ("Envelope", {"fields": ENVELOPE, "classes": ["collapse"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]
    change_form_template = "admin/articles/wireitem/change_form.html"

    # The queue is filled by `manage.py ingest`; on the desk it is read, taken from and cleared.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_take_permission(self, request):
        return may_take(request.user)

    def get_urls(self):
        take = self.admin_site.admin_view(self.take_view)
        return [path("<path:object_id>/take/", take, name="articles_wireitem_take"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._warn_of_published_kills(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is not None and entry.killed:
            messages.error(request, f"{queue.kill_notice(entry)}.")
        context = {
            "may_take": may_take(request.user) and entry is not None and not entry.killed,
            "take_url": reverse("admin:articles_wireitem_take", args=[quote(object_id)]),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def take_view(self, request, object_id):
        """Make (or find) the item's draft story and open its change form; POST only."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        entry = get_object_or_404(WireItem, pk=unquote(object_id))
        if not self.has_view_permission(request, entry):
            raise PermissionDenied
        back = reverse("admin:articles_wireitem_change", args=[quote(entry.pk)])
        if not may_take(request.user):
            self.message_user(request, MAY_NOT_TAKE, messages.ERROR)
            return HttpResponseRedirect(back)
        try:
            story = queue.take(entry=entry, user=request.user)
        except queue.TakeRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, f"“{story}” is a draft from {entry.source or 'the wire'}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[quote(story.pk)]))

    @admin.action(description="Take the selected items as draft stories", permissions=["take"])
    def take_selected(self, request, queryset):
        stories, refusals = [], []
        for entry in queryset:
            try:
                stories.append(queue.take(entry=entry, user=request.user))
            except queue.TakeRefused as refusal:
                refusals.append(f"{entry}: {refusal}")
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)
        if len(stories) == 1 and not refusals:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[quote(stories[0].pk)]))
        if stories:
            self.message_user(request, f"{len(stories)} draft stories from the queue.", messages.SUCCESS)
        return None

    def _warn_of_published_kills(self, request):
        headlines = list(
            WireItem.objects.filter(
                pub_status=WireItem.PubStatus.CANCELED, taken_story__status=Article.Status.PUBLISHED
            ).values_list("taken_story__headline", flat=True)[:5]
        )
        if headlines:
            named = ", ".join(f"“{headline}”" for headline in headlines)
            messages.error(request, f"The agency killed stories the site has published: {named}.")

    # Columns and read-only fields.

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj):
        return local(obj.received_at)

    @admin.display(description="Embargo", ordering="embargo")
    def embargo_label(self, obj):
        if obj.embargo is None:
            return "—"
        if obj.embargo > timezone.now():
            return format_html('<strong class="incoming-embargo">Embargoed until {}</strong>', local(obj.embargo))
        return f"Lifted {local(obj.embargo)}"

    @admin.display(description="Status", ordering="pub_status")
    def status_label(self, obj):
        if killed_and_published(obj):
            return format_html(
                '<strong class="incoming-killed">{}</strong> — “{}” is published: check it now',
                "KILLED",
                obj.taken_story,
            )
        if obj.killed:
            return format_html('<strong class="incoming-killed">{}</strong>', "KILLED")
        return obj.get_pub_status_display()

    @admin.display(description="Story")
    def taken(self, obj):
        if obj.taken_story is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[quote(obj.taken_story.pk)])
        return format_html('<a href="{}">{}</a> ({})', url, obj.taken_story, obj.taken_story.get_status_display())

    @admin.display(description="Copy")
    def story(self, obj):
        wire = queue.item_of(obj).story
        byline = ", ".join(b.name for b in wire.bylines)
        head = format_html_join(
            "",
            "<p><strong>{}</strong> {}</p>",
            (
                (label, value)
                for label, value in (("Standfirst:", wire.dek), ("By:", byline), ("Dateline:", wire.dateline))
                if value
            ),
        )
        # The body goes through the same sanitizer as every story body (fixture_builder.body_html).
        body = mark_safe(fixture_builder.body_html(wire.blocks))
        return format_html('{}<div class="incoming-copy">{}</div>', head, body)

    @admin.display(description="Since the version before")
    def changes(self, obj):
        before = queue.earlier_item(obj)
        if before is None:
            return "This is the first version the desk has received."
        rows = [_difference(label, old, new) for label, old, new in _compared(before, queue.item_of(obj))]
        table = render_to_string("admin/articles/wireitem/changes.html", {"rows": rows, "versions": obj.history})
        return mark_safe(table)

    @admin.display(description="Subjects")
    def subjects(self, obj):
        return ", ".join(subject.name for subject in queue.item_of(obj).subjects) or "—"


def _compared(before, after):
    """Return (label, old, new) for what the desk compares between two versions of an item."""
    return [
        ("Headline", before.story.headline, after.story.headline),
        ("Standfirst", before.story.dek or "", after.story.dek or ""),
        ("Slugline", before.slugline or "", after.slugline or ""),
        ("Embargo", _when(before.embargo), _when(after.embargo)),
        ("Body", fixture_builder.body_html(before.story.blocks), fixture_builder.body_html(after.story.blocks)),
    ]


def _when(moment):
    return local(fixture_builder.aware(moment)) if moment else ""


def _difference(label, old, new):
    return {
        "label": label,
        "old": old,
        "new": new,
        "changed": old != new,
        "diff": diffing.text_diff(old, new) if label == "Body" else None,
    }
