from django.db import migrations


def make_fixed_tags_canonical(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    Tag.objects.filter(type__in=["rating", "warning", "category"]).update(canonical=True)


class Migration(migrations.Migration):
    dependencies = [("tags", "0003_wrangling_links")]
    operations = [migrations.RunPython(make_fixed_tags_canonical, migrations.RunPython.noop)]
