"""Background work as the desk sees it: how many tasks wait for a worker, which gave up, and their list.

The list is django-tasks-db's own read-only admin of task results, opened to editors (the app is called
"Background work" on the desk's index) with a column for the error a failed task ended with.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from articles.desk import publishing
from articles.platform.tasks import TaskResultStatus, WillRetry

# Failures the desk's notice counts: those of the last week.
FAILED_DAYS = 7
WILL_RETRY = f"{WillRetry.__module__}.{WillRetry.__qualname__}"
GAVE_UP = Q(status=TaskResultStatus.FAILED) & ~Q(exception_class_path=WILL_RETRY)


def may_see(user):
    """Tell whether user may read the list of background tasks: editors, and whoever has the permission."""
    return user.is_active and user.is_staff and (publishing.is_editor(user) or user.has_perm(VIEW_PERMISSION))


VIEW_PERMISSION = f"{DBTaskResult._meta.app_label}.view_{DBTaskResult._meta.model_name}"


@dataclass(frozen=True)
class QueueNotice:
    waiting: str
    failed: str
    failed_url: str


def queue_notice(user, now=None):
    """Return what the desk home says of the background queue, or None when nothing waits or failed."""
    since = (now or timezone.now()) - timedelta(days=FAILED_DAYS)
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        failed=Count("pk", filter=GAVE_UP & Q(finished_at__gte=since)),
    )
    waiting, failed = counts["waiting"], counts["failed"]
    if not waiting and not failed:
        return None
    failed_url = ""
    if failed and may_see(user):
        changelist = reverse(f"admin:{DBTaskResult._meta.app_label}_{DBTaskResult._meta.model_name}_changelist")
        failed_url = f"{changelist}?{urlencode({OutcomeFilter.parameter_name: 'gave-up'})}"
    return QueueNotice(
        waiting=ngettext(
            "%(count)d task waiting for the background worker",
            "%(count)d tasks waiting for the background worker",
            waiting,
        )
        % {"count": waiting}
        if waiting
        else "",
        failed=ngettext(
            "%(count)d task failed in the last %(days)d days",
            "%(count)d tasks failed in the last %(days)d days",
            failed,
        )
        % {"count": failed, "days": FAILED_DAYS}
        if failed
        else "",
        failed_url=failed_url,
    )


class OutcomeFilter(admin.SimpleListFilter):
    title = gettext_lazy("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [
            ("waiting", gettext("Waiting")),
            ("gave-up", gettext("Failed, not retried")),
            ("retried", gettext("Failed, tried again")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=TaskResultStatus.READY)
        if self.value() == "gave-up":
            return queryset.filter(GAVE_UP)
        if self.value() == "retried":
            return queryset.filter(status=TaskResultStatus.FAILED, exception_class_path=WILL_RETRY)
        return queryset


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """The task results, read-only, for editors: what ran, when, and the error of what failed."""

    list_display = ("task_name", "status", "enqueued_at", "finished_at", "error")
    list_filter = (OutcomeFilter, "status", "queue_name")
    ordering = ["-enqueued_at"]

    def has_module_permission(self, request):
        return may_see(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see(request.user)

    @admin.display(description=gettext_lazy("task"))
    def task_name(self, obj):
        return obj.task_name

    @admin.display(description=gettext_lazy("error"))
    def error(self, obj):
        """Return the last line of a failed task's traceback: the error's class and message."""
        lines = [line for line in obj.traceback.splitlines() if line.strip()]
        return lines[-1] if lines else ""
