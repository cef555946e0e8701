from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.works.models import Work


def test_the_demo_command_loads_the_demo_and_prints_the_count(db):
    out = StringIO()
    call_command("demo", stdout=out)
    count = Work.objects.count()
    assert count >= 10
    assert out.getvalue().strip() == f"Loaded the demo archive: {count} works."


def test_the_demo_command_refuses_an_archive_with_works(work):
    with pytest.raises(CommandError, match="already has works"):
        call_command("demo", stdout=StringIO())
    assert list(Work.objects.all()) == [work]


def test_the_demo_command_refuses_to_load_twice(db):
    call_command("demo", stdout=StringIO())
    count = Work.objects.count()
    with pytest.raises(CommandError, match="only loads into an empty archive"):
        call_command("demo", stdout=StringIO())
    assert Work.objects.count() == count
