"""The desk's two roles as groups: Reporter writes drafts, Editor edits, publishes and corrects anything.

Permissions are normally created after all migrations have run, so this migration creates the rows it
needs itself; Django's own post-migrate step then finds them and leaves them alone.
"""

from django.db import migrations

ALL = ("add", "change", "delete", "view")
WRITE = ("add", "change", "view")

REPORTER = {
    ("articles", "article"): WRITE,
    ("articles", "authorship"): ALL,
    ("articles", "mention"): ALL,
    ("articles", "taggedarticle"): ALL,
    ("articles", "relatedlink"): ALL,
    ("articles", "correction"): ("view",),
    ("articles", "person"): WRITE,
    ("articles", "image"): WRITE,
    ("articles", "section"): ("view",),
    ("taggit", "tag"): WRITE,
}
EDITOR = {
    ("articles", "article"): (*ALL, "publish"),
    ("articles", "authorship"): ALL,
    ("articles", "mention"): ALL,
    ("articles", "taggedarticle"): ALL,
    ("articles", "relatedlink"): ALL,
    ("articles", "correction"): ALL,
    ("articles", "person"): ALL,
    ("articles", "image"): ALL,
    ("articles", "section"): ALL,
    ("articles", "statuschange"): ("view",),
    ("articles", "articleredirect"): ALL,
    ("taggit", "tag"): ALL,
}
NAMES = {"publish": "Can publish, schedule and withdraw {plural}"}


def grant(apps, group_name, table):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=group_name)
    for (app_label, model_name), actions in table.items():
        model = apps.get_model(app_label, model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        for action in actions:
            template = NAMES.get(action, "Can {action} {singular}")
            name = template.format(
                action=action, singular=model._meta.verbose_name, plural=model._meta.verbose_name_plural
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model_name}", defaults={"name": name}
            )
            group.permissions.add(permission)


def create_roles(apps, schema_editor):
    grant(apps, "Reporter", REPORTER)
    grant(apps, "Editor", EDITOR)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_created_by_statuschange"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
