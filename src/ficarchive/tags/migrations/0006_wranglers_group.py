"""A "Tag wranglers" group holding the wrangle permission, so admins grant it in one click."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Tag wranglers"


def create_wranglers_group(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure this one exists now.
    tags_config = apps.get_app_config("tags")
    tags_config.models_module = True
    create_permissions(tags_config, apps=apps, verbosity=0)
    tags_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="tags", codename="wrangle")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_wranglers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0005_wrangling_changes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_wranglers_group, remove_wranglers_group)]
