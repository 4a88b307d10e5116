"""The desk's roles see the incoming queue; editors may also clear items from it.

Taking an item needs the permission to add a story, which both roles have already (migration 0006).
"""

from django.db import migrations

ROLES = {"Reporter": ("view",), "Editor": ("view", "delete")}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="wireitem")
    for group_name, actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_wireitem",
                defaults={"name": f"Can {action} incoming item"},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="articles", content_type__model="wireitem").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_incoming_queue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
