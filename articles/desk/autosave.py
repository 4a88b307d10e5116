"""Autosave: a private draft copy of the story an editor is changing, kept while she types.

The change form posts its own data every few seconds; what is kept is her copy alone (one row per editor
and story, written with a single upsert), never the story: no revision, no new version, no status move.
Reopening the story offers the copy back when it differs from the story as saved and is newer than it.
"""

from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext

from articles.core import limits
from articles.desk import publishing
from articles.models import Article, DraftCopy, now_ms

# The change form polls this often (seconds) while someone types; the page carries it in a data attribute.
INTERVAL_SECONDS = 15
OPENED_PREFIX = "initial-"  # where the form keeps the values the story had when opened (show_hidden_initial)


def field_of(key):
    """Return the form field a submitted key belongs to: published_at_0 belongs to published_at."""
    name, _, suffix = key.rpartition("_")
    return name if suffix.isdigit() and name else key


class Refused(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def copied_data(post, fields):
    """Return (typed, opened, opened_version) of a posted change form, keeping only the story's own fields.

    Everything else the form sends (the CSRF token, bylines, tags and other inlines, buttons) is left out.
    """
    try:
        opened_version = int(post.get("opened_version", ""))
    except ValueError:
        raise Refused(400, gettext("The form does not say which version of the story it edits.")) from None
    if opened_version < 1:
        raise Refused(400, gettext("The form does not say which version of the story it edits."))
    typed, opened = {}, {}
    for key in post:
        name = key.removeprefix(OPENED_PREFIX)
        if field_of(name) not in fields:
            continue
        value = post.get(key)
        if "\x00" in value:
            raise Refused(400, gettext("The form holds a character no story can."))
        (opened if key.startswith(OPENED_PREFIX) else typed)[name] = value
    if not typed:
        raise Refused(400, gettext("The form holds none of the story's fields."))
    if any(len(value) > limits.BODY_MAX_LENGTH for value in (*typed.values(), *opened.values())):
        raise Refused(413, gettext("The story is too long to keep a draft copy of."))
    return typed, opened, opened_version


def keep(request, article_pk, *, fields):
    """Answer an autosave post: keep the editor's draft copy of the story, or say why not."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > limits.AUTOSAVE_MAX_BYTES:
        return HttpResponse(
            gettext("The story is too long to keep a draft copy of."), status=413, content_type="text/plain"
        )
    article = Article.objects.only("pk", "created_by_id", "status", "version").filter(pk=article_pk).first()
    if article is None or not publishing.may_edit(request.user, article):
        return HttpResponseForbidden(gettext("You may not change this story."), content_type="text/plain")
    try:
        typed, opened, opened_version = copied_data(request.POST, fields)
    except Refused as refused:
        return HttpResponse(refused.reason, status=refused.status, content_type="text/plain")
    saved_at = now_ms()
    # One statement, whether her copy exists or not: INSERT … ON CONFLICT DO UPDATE.
    DraftCopy.objects.bulk_create(
        [
            DraftCopy(
                user_id=request.user.pk,
                article_id=article.pk,
                data={"typed": typed, "opened": opened},
                opened_version=opened_version,
                saved_at=saved_at,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "article"],
        update_fields=["data", "opened_version", "saved_at"],
    )
    return JsonResponse(
        {"saved_at": f"{timezone.localtime(saved_at):%H:%M:%S}", "story_saved_since": article.version > opened_version}
    )


def discard(*, article, user):
    """Delete the editor's draft copy of a story, if she has one."""
    DraftCopy.objects.filter(article=article, user=user).delete()


def offered_copy(*, article, user, form):
    """Return the editor's draft copy of the story if it is worth offering back, else None.

    Worth it when it is newer than the story's last change and differs from the story as saved.
    """
    copy = DraftCopy.objects.filter(article=article, user=user).first()
    if copy is None or copy.saved_at <= article.last_modified:
        return None
    typed = copy.data.get("typed", {})
    # The form was just opened on the story as saved: its fields' initial values are the story's, so the
    # copy is compared against those, with no second form (and no second reading of the story's tags).
    for name in {field_of(key) for key in typed} & set(form.fields):
        field = form.fields[name]
        value = field.widget.value_from_datadict(typed, {}, form.add_prefix(name))
        if field.has_changed(form.get_initial_for_field(field, name), value):
            return copy
    return None
