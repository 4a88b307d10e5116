"""Webhook subscribers and their deliveries on the desk: who is told of what, and how each attempt went.

Subscribers are changed by whoever holds the model's permissions (superusers, unless granted); the
deliveries are a log, read-only. Sending happens in articles/distribution/webhooks.py, which hears of a
test ping the way it hears of a published story: through articles.core.events.story_event.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_lazy, ngettext

from articles.core import events
from articles.desk.timezone import local
from articles.models import Delivery, Subscriber


class SubscriberForm(forms.ModelForm):
    events = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=events.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("What the subscriber is told of."),
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "events", "active", "secret"]
        widgets = {"secret": forms.TextInput(attrs={"size": 60, "autocomplete": "off", "spellcheck": "false"})}


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberForm
    list_display = ["name", "url", "listens_to", "active", "health"]
    list_filter = ["active", "failing"]
    search_fields = ["name", "url"]
    readonly_fields = ["health", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "url", "events", "active"]}),
        (gettext_lazy("Signing"), {"fields": ["secret"]}),
        (gettext_lazy("Record"), {"fields": ["health", "created_at"]}),
    ]
    actions = ["send_test_ping"]

    @admin.display(description=gettext_lazy("Events"))
    def listens_to(self, obj):
        names = dict(events.CHOICES)
        return ", ".join(str(names[name]) for name in events.EVENTS if name in obj.events) or "—"

    @admin.display(description=gettext_lazy("Health"), ordering="failing")
    def health(self, obj):
        if obj.failing:
            return gettext("Failing since %(when)s") % {"when": local(obj.failing_since)}
        return gettext("Working")

    @admin.action(description=gettext_lazy("Send a test ping to the selected subscribers"), permissions=["change"])
    def send_test_ping(self, request, queryset):
        subscribers = list(queryset)
        events.story_event.send(sender=Subscriber, event=events.PING, guid="", subscribers=subscribers)
        count = len(subscribers)
        self.message_user(
            request,
            ngettext(
                "A test ping is on its way to %(count)d subscriber; its answer shows under Webhook deliveries.",
                "A test ping is on its way to %(count)d subscribers; their answers show under Webhook deliveries.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["at", "subscriber", "event", "article_guid", "attempt", "outcome", "status_code", "duration_ms"]
    list_filter = ["outcome", "event", "subscriber"]
    list_select_related = ["subscriber"]
    search_fields = ["article_guid", "subscriber__name", "error"]
    show_full_result_count = False

    # A log of what happened: nobody writes it by hand.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
