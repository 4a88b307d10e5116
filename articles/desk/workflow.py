"""The story form's workflow buttons and soft lock: what the admin offers, asked of the rules in publishing.

ArticleAdmin takes WorkflowAdmin as a mixin; the rules themselves stay in articles.desk.publishing and the
note of who has a story open in articles.desk.softlock.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from articles.desk import publishing, softlock
from articles.desk.timezone import local
from articles.models import Article

Status = Article.Status


def status_text(article, *, now=None):
    """Return where a story stands, in words: its status, or "Scheduled for …" / "Embargoed until …"."""
    now = now or timezone.now()
    if article.status == Status.PUBLISHED and article.published_at and article.published_at > now:
        return gettext("Scheduled for %(when)s") % {"when": local(article.published_at)}
    if article.status == Status.PUBLISHED and article.embargo_until and article.embargo_until > now:
        return gettext("Embargoed until %(when)s") % {"when": local(article.embargo_until)}
    return article.get_status_display()


def button_label(name, move, article, *, now=None):
    """Return what a workflow button says: "Publish", or "Schedule for <time>" when the saved time is ahead."""
    when = article.published_at
    if name == "_publish" and when is not None and when > (now or timezone.now()):
        return gettext("Schedule for %(when)s") % {"when": local(when)}
    return gettext(move.label)


def workflow_buttons(user, article):
    """Return the buttons the change form shows user for this story, as dicts for the template."""
    buttons = []
    for name, move in publishing.available_moves(user, article):
        button = {"name": name, "label": button_label(name, move, article)}
        if name == "_publish":
            # The browser relabels the button as the time field changes; the server decides by the time sent.
            button["relabel"] = {
                "publish": gettext(move.label),
                "schedule": gettext("Schedule for %(when)s"),
                "when_format": formats.get_format("DATETIME_FORMAT"),
                "date_formats": "|".join(formats.get_format("DATE_INPUT_FORMATS")),
                "time_formats": "|".join(formats.get_format("TIME_INPUT_FORMATS")),
                "months": "|".join(formats.date_format(datetime(2000, m, 1), "M") for m in range(1, 13)),
            }
        buttons.append(button)
    return buttons


class WorkflowAdmin:
    """The story form's buttons, the author's pull-back from review, and the soft lock's endpoint."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/editing/", view(self.editing_view), name="articles_article_editing"),
            *super().get_urls(),
        ]

    def workflow_context(self, request, obj):
        """Return what the change form needs for its buttons and its note of who else has the story open."""
        context = {"workflow_buttons": workflow_buttons(request.user, obj or Article())}
        if obj is None:
            return context
        if self.has_change_permission(request, obj):
            other = softlock.note_editing(article=obj, user=request.user)
        else:
            other = softlock.holder(obj)
        # The user's own note (another tab of hers) is told by the page's script, which knows its tab.
        shown = other is not None and other.user_id != request.user.pk
        context["editing"] = {
            "url": reverse("admin:articles_article_editing", args=[quote(obj.pk)]),
            "tab": softlock.new_tab_id(),
            "heartbeat": softlock.HEARTBEAT_SECONDS,
            "notice": other.notice(request.user) if shown else "",
        }
        return context

    def change_view(self, request, object_id, form_url="", extra_context=None):
        to_status = publishing.requested_status(request.POST) if request.method == "POST" else None
        if to_status is not None:
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                return self.move_read_only(request, obj, to_status)
        return super().change_view(request, object_id, form_url, extra_context)

    def move_read_only(self, request, obj, to_status):
        """Move a story the user cannot edit, which only its author pulling it back from review may do.

        Any other button pressed on a read-only story (a crafted POST) is refused in words, not with a 403.
        """
        change_url = reverse("admin:articles_article_change", args=[quote(obj.pk)])
        try:
            changes = publishing.move_many(articles=[obj], to_status=to_status, user=request.user)
        except publishing.WorkflowError as refusal:
            for problem in refusal.messages:
                self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(change_url)
        for change in changes:
            self.log_change(request, obj, f"{publishing.describe(change.from_status, change.to_status)}.")
        self.message_user(request, self._moved_message(obj), messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def editing_view(self, request, object_id):
        """Hold (the heartbeat) or release (leaving the page) the user's note on a story from one tab.

        Answer a hold with the notice the page shows, "" when nobody else has the story open.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        tab = request.POST.get("tab", "")
        if not softlock.TAB_ID.fullmatch(tab):
            return HttpResponseBadRequest("tab: the id of the page's tab, 8 to 64 letters, digits, - or _")
        if request.POST.get("action") == "release":
            softlock.release(article_pk=article.pk, user=request.user, tab=tab)
            return HttpResponse(status=204)
        if publishing.may_edit(request.user, article):
            other = softlock.note_editing(article=article, user=request.user, tab=tab)
        else:
            other = softlock.holder(article)
        return JsonResponse({"notice": other.notice(request.user) if other is not None else ""})
