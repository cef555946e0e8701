"""Archivists import works for their authors: only they may, the author's name and address are
checked, the author is credited and mailed once; the command line does the same."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.importing.actions import ForAuthor, import_work
from ficarchive.moderation.models import Role
from ficarchive.works.archived import ExternalAuthor, ExternalCreatorship
from ficarchive.works.models import Work
from tests.conftest import logged_in
from tests.importing.archivists import PIM, archived, parsed
from tests.importing.conftest import DATA
from tests.importing.test_views import post_data
from tests.moderation.holders import holder

UPLOAD = reverse("importing:upload")
POST = reverse("importing:post")
CHECKBOX = "Import for someone else (with their permission)"


def for_pim(**changes: str) -> dict[str, str]:
    fields = {
        "w0-for_someone_else": "on",
        "w0-author_name": "Pim Halloway",
        "w0-author_email": "pim@example.org",
    }
    return post_data(**{**fields, **changes})


# --- who may ---------------------------------------------------------------------------------


def test_an_archivist_is_offered_to_import_for_someone_else(archie: User):
    page = logged_in(archie).post(UPLOAD, {"text": "The orchard rang.\n"}).content.decode()
    assert CHECKBOX in page
    assert 'name="w0-author_name"' in page
    assert 'name="w0-author_email"' in page


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ARCHIVIST])
def test_other_roles_are_not_offered_it(role: Role, db):
    page = logged_in(holder(role)).post(UPLOAD, {"text": "The orchard rang.\n"}).content
    assert CHECKBOX not in page.decode()


def test_an_ordinary_user_is_not_offered_it(alice_client: Client):
    page = alice_client.post(UPLOAD, {"text": "The orchard rang.\n"}).content.decode()
    assert CHECKBOX not in page
    assert "author_email" not in page


def test_a_forged_post_from_an_ordinary_user_credits_nobody_else(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(POST, for_pim())
    assert response.status_code == 302
    work = Work.objects.get()
    assert [p.user for p in work.creators] == [alice]
    assert not ExternalCreatorship.objects.exists()
    assert not ExternalAuthor.objects.exists()
    assert mail.outbox == []
    assert "archived by" not in alice_client.get(work.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ARCHIVIST])
def test_the_import_action_refuses_anyone_but_an_archivist(role: Role, alice: User):
    for user in (alice, holder(role)):
        with pytest.raises(PermissionDenied, match="Only archivists may import"):
            import_work(user, parsed(), for_author=PIM)
    assert not Work.objects.exists()
    assert not ExternalAuthor.objects.exists()


def test_a_superadmin_may_import_for_someone_else(db):
    root = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    work = archived(root)
    assert work.byline_text == "Pim Halloway [archived by root]"


# --- what the form checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"w0-author_name": "  "}, "author_name", "Give the name the author wrote under."),
        ({"w0-author_email": ""}, "author_email", "Give the author&#x27;s email address"),
        (
            {"w0-author_email": "pim at example"},
            "author_email",
            "&#x27;pim at example&#x27; is not an email address.",
        ),
        ({"w0-author_name": "P" * 101}, "author_name", "at most 100 characters"),
    ],
)
def test_the_author_is_checked(archie: User, changes, field, message):
    response = logged_in(archie).post(POST, for_pim(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_w0-{field}"' in page
    assert not Work.objects.exists()


def test_an_address_that_refused_imports_is_refused_by_name(archie: User):
    ExternalAuthor.objects.create(email="pim@example.org", do_not_import=True)
    response = logged_in(archie).post(POST, for_pim(**{"w0-author_email": " PIM@example.org"}))
    assert response.status_code == 400
    assert "The author at pim@example.org asked that their works not be imported." in (
        response.content.decode()
    )
    assert not Work.objects.exists()


def test_unticked_the_author_fields_are_ignored(archie: User):
    response = logged_in(archie).post(POST, for_pim(**{"w0-for_someone_else": ""}))
    assert response.status_code == 302
    work = Work.objects.get()
    assert work.byline_text == "archie"
    assert not ExternalCreatorship.objects.exists()


# --- what an archivist import does ---------------------------------------------------------------


def test_an_archivist_import_credits_the_author_and_mails_them_once(
    archie: User, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(archie).post(POST, for_pim())
    work = Work.objects.get()
    assert response["Location"] == work.get_absolute_url()
    assert work.byline_text == "Pim Halloway [archived by archie]"
    external = ExternalCreatorship.objects.get()
    assert (external.work, external.archivist, external.state) == (work, archie, "waiting")
    assert external.name.name == "Pim Halloway"
    assert external.name.author.email == "pim@example.org"
    assert [m.to for m in mail.outbox] == [["pim@example.org"]]
    assert "The Tide Clock" in mail.outbox[0].body


def test_two_names_of_one_author_are_one_author(archie: User):
    archived(archie, "One")
    archived(archie, "Two", author=ForAuthor("Pim H.", "pim@EXAMPLE.org"))
    author = ExternalAuthor.objects.get()
    assert sorted(author.names.values_list("name", flat=True)) == ["Pim H.", "Pim Halloway"]


# --- the command line ----------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


FILES = [str(DATA / "ao3-download.html"), str(DATA / "story.md")]
FOR_PIM = ["--for-name", "Pim Halloway", "--for-email", "pim@example.org"]


def test_the_command_imports_a_batch_for_an_author_with_one_invitation(
    archie: User, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("--as", "archie", *FOR_PIM, *FILES)
    assert "Imported 2 works" in out
    works = list(Work.objects.order_by("id"))
    assert len(works) == 2
    assert all(w.byline_text == "Pim Halloway [archived by archie]" for w in works)
    assert len(mail.outbox) == 1
    for work in works:
        assert work.title in mail.outbox[0].body


@pytest.mark.parametrize("who", ["alice", *[r.name for r in Role if r != Role.ARCHIVIST]])
def test_the_command_refuses_anyone_but_an_archivist(who: str, alice: User):
    user = alice if who == "alice" else holder(Role[who])
    with pytest.raises(CommandError, match=f"{user.username} is not an archivist"):
        run("--as", user.username, *FOR_PIM, *FILES)
    assert not Work.objects.exists()


def test_the_command_wants_both_the_name_and_the_address(archie: User):
    with pytest.raises(CommandError, match="Give both --for-name NAME and --for-email EMAIL"):
        run("--as", "archie", "--for-name", "Pim Halloway", *FILES)
    with pytest.raises(CommandError, match="is not an email address"):
        run("--as", "archie", "--for-name", "Pim", "--for-email", "pim", *FILES)
    with pytest.raises(CommandError, match="needs --as ARCHIVIST"):
        run("--dry-run", *FOR_PIM, *FILES)
    assert not Work.objects.exists()


def test_the_command_refuses_an_address_that_refused_imports(archie: User):
    ExternalAuthor.objects.create(email="pim@example.org", do_not_import=True)
    with pytest.raises(CommandError, match=r"pim@example\.org asked that their works not be"):
        run("--as", "archie", *FOR_PIM, *FILES)
    assert not Work.objects.exists()


def test_refusals_leave_nothing_half_written(archie: User):
    ExternalAuthor.objects.create(email="pim@example.org", do_not_import=True)
    with pytest.raises(ValidationError):
        archived(archie)
    assert not Work.objects.exists()
