"""Desk accounts and the people they write as: linking a staff user to a Person, roles that make staff,
and the byline a reporter's new story starts with."""

import secrets

from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from articles.models import Person

# The desk's roles, as the groups migration 0006 creates them.
ROLES = {"reporter": "Reporter", "editor": "Editor"}


def make_staff_if_in_a_role(user):
    """Let a user into the desk once they belong to a desk role; return whether that changed anything.

    Being in Reporter or Editor is how an editor means "this person works on the desk"; the admin would
    still turn them away at the door without "Staff status", which is easy to forget.
    """
    if user.is_staff or not user.groups.filter(name__in=ROLES.values()).exists():
        return False
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return True


@transaction.atomic
def add_staff(*, username, role, person_name=None):
    """Put username on the desk in role, linked to the person named person_name (found, or made).

    An account that does not exist yet is made with a generated password. Return (user, person,
    password): person is None without a name, password None for an account that existed.
    """
    User = get_user_model()
    password = None
    try:
        user = User.objects.get_by_natural_key(username)
    except User.DoesNotExist:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password)
    user.groups.add(Group.objects.get(name=ROLES[role]))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    person = None
    if person_name:
        person = Person.objects.filter(name=person_name).order_by("pk").first() or Person(name=person_name)
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.save()
    return user, person, password


def own_person(user):
    """Return the Person the user writes as, or None; asked once per request."""
    try:
        return user.person
    except Person.DoesNotExist:
        return None


class LinkedAccount:
    """The Person form's link to a desk account: changed by those who may see the accounts, shown to others."""

    def may_link_accounts(self, request):
        accounts = get_user_model()._meta
        return request.user.has_perm(f"{accounts.app_label}.{get_permission_codename('view', accounts)}")

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), (gettext_lazy("Desk account"), {"fields": ["user"]})]

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        return [*fields, "user"] if self.may_link_accounts(request) else fields

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.may_link_accounts(request) else [*fields, "user"]


class OwnBylineFirst:
    """The byline inline of a new story: it starts with the writer's own Person, when she has one.

    Only an unsubmitted form carries it as its initial value, so that saving without touching it counts
    as a change and the byline is saved.
    """

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None and own_person(request.user) is not None:
            return 1
        return super().get_extra(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        person = own_person(request.user) if obj is None and request.method != "POST" else None
        if person is None:
            return formset

        class StartingWithOwnByline(formset):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", [{"person": person.pk}])
                super().__init__(*args, **kwargs)

        return StartingWithOwnByline


class PersonInline(admin.StackedInline):
    """On an account's page: the person its stories are bylined to (linked from the person's own page)."""

    model = Person
    fields = ["name", "job_title"]
    readonly_fields = ["name", "job_title"]
    extra = 0
    max_num = 1
    can_delete = False
    show_change_link = True
    verbose_name = gettext_lazy("byline person")
    verbose_name_plural = gettext_lazy("byline person")

    def has_add_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    """Django's user admin, with the account's byline person, and desk roles that let the account in."""

    inlines = [*UserAdmin.inlines, PersonInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if make_staff_if_in_a_role(form.instance):
            self.message_user(
                request,
                gettext("%(user)s is in a desk role, so “Staff status” was turned on.") % {"user": form.instance},
            )
