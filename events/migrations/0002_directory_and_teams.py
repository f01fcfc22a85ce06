
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models

from events import directory


def teams_and_directory(apps, schema_editor):
    """Organizations with members or events are teams; every other one is a directory entry.
    Then the shipped directory is loaded, adopting entries of the same name added by hand."""
    Organization = apps.get_model("events", "Organization")
    Membership = apps.get_model("events", "Membership")
    Event = apps.get_model("events", "Event")
    Organization.objects.filter(
        models.Q(pk__in=Membership.objects.values("organization_id"))
        | models.Q(pk__in=Event.objects.values("organization_id"))
    ).update(is_team=True)
    directory.load(Organization)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='joined'),
        ),
        migrations.AddField(
            model_name='organization',
            name='code',
            field=models.CharField(blank=True, max_length=60, null=True, unique=True, verbose_name='directory code'),
        ),
        migrations.AddField(
            model_name='organization',
            name='is_team',
            field=models.BooleanField(default=False, verbose_name='organizer team'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(django.db.models.functions.text.Upper('name'), name='organization_name_upper'),
        ),
        migrations.AddConstraint(
            model_name='organization',
            constraint=models.CheckConstraint(condition=models.Q(('is_team', False), ('code__isnull', True), _connector='OR'), name='shipped_entry_is_not_a_team'),
        ),
        # Last: on PostgreSQL no table may be altered after its rows changed in one transaction.
        migrations.RunPython(teams_and_directory, migrations.RunPython.noop),
    ]
