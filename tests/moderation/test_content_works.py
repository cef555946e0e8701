"""Moderators hide, unhide, delete and retag works: each audited, each refused to those
without the permission, and hiding, unhiding and retagging undoable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficarchive.moderation import undo
from ficarchive.moderation.actions import content
from ficarchive.moderation.models import AuditEntry, Case
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.tags.models import TagType
from ficarchive.works import actions as work_actions
from ficarchive.works.models import Work
from tests.conftest import found_titles, post_work
from tests.moderation.content_helpers import REFUSED, entries, polly, refused_user


@pytest.fixture
def bobs_work(bob):
    return post_work(bob, "Secret Harbour", fandoms=["Lighthouses"], freeforms=["Fluff", "Rain"])


def test_a_moderator_hides_a_work_with_a_reason_and_its_creator_is_told(bobs_work, alice, bob):
    moderator = polly()
    case = Case.objects.create(target_kind="work", target_id=bobs_work.pk, label="x", subject=bob)
    entry = content.hide_work(moderator, bobs_work, "Spam links.", case=case)
    bobs_work.refresh_from_db()
    assert bobs_work.is_hidden and bobs_work.hidden_reason == "Spam links."
    assert (entry.verb, entry.actor, entry.subject, entry.case) == (
        "hide_work",
        moderator,
        bob,
        case,
    )
    assert (entry.reason, entry.target_kind, entry.target_id) == (
        "Spam links.",
        "work",
        bobs_work.pk,
    )
    assert entry.before == {"is_hidden": False, "hidden_reason": ""}
    notice = InboxItem.objects.get(user=bob, kind=InboxKind.WORK_HIDDEN)
    assert (notice.work, notice.text) == (bobs_work, "Spam links.")
    assert not InboxItem.objects.filter(user=alice).exists()


def test_search_stops_finding_a_hidden_work_at_once(bobs_work):
    assert found_titles("q=Harbour") == ["Secret Harbour"]
    content.hide_work(polly(), bobs_work, "Spam.")
    assert found_titles("q=Harbour") == []
    assert found_titles("") == []


def test_hiding_needs_a_reason(bobs_work):
    with pytest.raises(ValidationError) as refused:
        content.hide_work(polly(), bobs_work, "   ")
    assert "reason" in refused.value.message_dict
    bobs_work.refresh_from_db()
    assert not bobs_work.is_hidden
    assert not AuditEntry.objects.exists()


def test_hiding_a_hidden_work_again_is_refused(bobs_work):
    moderator = polly()
    content.hide_work(moderator, bobs_work, "Spam.")
    with pytest.raises(ValidationError):
        content.hide_work(moderator, bobs_work, "Again.")
    assert len(entries("hide_work")) == 1


def test_unhiding_shows_the_work_and_tells_its_creator(bobs_work, bob):
    moderator = polly()
    content.hide_work(moderator, bobs_work, "Spam.")
    entry = content.unhide_work(moderator, bobs_work, "Cleared on appeal.")
    bobs_work.refresh_from_db()
    assert not bobs_work.is_hidden and bobs_work.hidden_reason == ""
    assert entry.before == {"is_hidden": True, "hidden_reason": "Spam."}
    assert InboxItem.objects.filter(user=bob, kind=InboxKind.WORK_UNHIDDEN).count() == 1
    assert found_titles("q=Harbour") == ["Secret Harbour"]


def test_undoing_a_hide_shows_the_work_again_once(bobs_work):
    moderator = polly()
    entry = content.hide_work(moderator, bobs_work, "Spam.")
    assert undo.can_be_undone(entry)
    undone = undo.undo(moderator, entry)
    bobs_work.refresh_from_db()
    assert not bobs_work.is_hidden
    assert (undone.verb, undone.undoes) == ("unhide_work", entry)
    with pytest.raises(ValidationError):
        undo.undo(moderator, AuditEntry.objects.get(pk=entry.pk))


def test_undoing_an_unhide_hides_the_work_with_its_earlier_reason(bobs_work):
    moderator = polly()
    content.hide_work(moderator, bobs_work, "Plagiarism.")
    undo.undo(moderator, content.unhide_work(moderator, bobs_work))
    bobs_work.refresh_from_db()
    assert bobs_work.is_hidden and bobs_work.hidden_reason == "Plagiarism."


@pytest.mark.parametrize("who", REFUSED)
def test_hiding_and_unhiding_are_refused_without_the_permission(who, bobs_work, alice, carol):
    user = refused_user(who, reader=carol, author=alice)
    with pytest.raises(PermissionDenied):
        content.hide_work(user, bobs_work, "Mine now.")
    with pytest.raises(PermissionDenied):
        work_actions.hide_work(user, bobs_work, "Mine now.")
    content.hide_work(polly(), bobs_work, "Spam.")
    with pytest.raises(PermissionDenied):
        content.unhide_work(user, bobs_work)
    bobs_work.refresh_from_db()
    assert bobs_work.is_hidden
    assert [entry.verb for entry in AuditEntry.objects.all()] == ["hide_work"]


def test_an_author_cannot_hide_her_own_work_as_a_moderator_would(alice):
    own = post_work(alice, "Mine")
    with pytest.raises(PermissionDenied):
        content.hide_work(alice, own, "Hiding it myself.")


# --- deleting ------------------------------------------------------------------------------


def test_a_moderator_deletes_a_work_and_the_entry_keeps_what_it_was(bobs_work, bob):
    work_id, words = bobs_work.pk, bobs_work.word_count
    entry = content.delete_work(polly(), bobs_work, "Illegal content.")
    assert not Work.objects.filter(pk=work_id).exists()
    assert found_titles("q=Harbour") == []
    assert (entry.verb, entry.subject, entry.target_id) == ("delete_work", bob, work_id)
    kept = entry.before
    assert kept["title"] == "Secret Harbour"
    assert kept["creators"] == ["bob (bob)"]
    assert kept["word_count"] == words > 0
    assert kept["tags"][TagType.FANDOM] == ["Lighthouses"]
    assert kept["tags"][TagType.FREEFORM] == ["Fluff", "Rain"]


def test_a_deleted_work_cannot_be_undone(bobs_work):
    moderator = polly()
    entry = content.delete_work(moderator, bobs_work, "Illegal content.")
    assert not undo.can_be_undone(entry)
    with pytest.raises(ValidationError):
        undo.undo(moderator, entry)


def test_deleting_needs_a_reason(bobs_work):
    with pytest.raises(ValidationError):
        content.delete_work(polly(), bobs_work, "")
    assert Work.objects.filter(pk=bobs_work.pk).exists()


@pytest.mark.parametrize("who", REFUSED)
def test_deleting_others_works_is_refused_without_the_permission(who, bobs_work, alice, carol):
    user = refused_user(who, reader=carol, author=alice)
    with pytest.raises(PermissionDenied):
        content.delete_work(user, bobs_work, "Gone.")
    with pytest.raises(PermissionDenied):
        work_actions.delete_work(user, bobs_work)  # type: ignore[arg-type]
    assert Work.objects.filter(pk=bobs_work.pk).exists()
    assert not AuditEntry.objects.exists()


def test_creators_still_delete_their_own_works_without_an_audit_entry(bobs_work, bob):
    work_actions.delete_work(bob, bobs_work)
    assert not Work.objects.filter(pk=bobs_work.pk).exists()
    assert not AuditEntry.objects.exists()


# --- tags ----------------------------------------------------------------------------------


def fixed(work: Work) -> dict[str, list[str]]:
    names = work_actions.tag_names_of(work)
    names[TagType.WARNING] = ["Graphic Depictions Of Violence"]
    names[TagType.FREEFORM] = ["Fluff"]
    return names


def test_a_moderator_corrects_a_works_tags_and_the_entry_keeps_both_lists(bobs_work, bob):
    entry = content.edit_work_tags(polly(), bobs_work, fixed(bobs_work), "Unwarned violence.")
    now = work_actions.tag_names_of(Work.objects.get(pk=bobs_work.pk))
    assert now[TagType.WARNING] == ["Graphic Depictions Of Violence"]
    assert now[TagType.FREEFORM] == ["Fluff"]
    assert now[TagType.FANDOM] == ["Lighthouses"]
    assert (entry.verb, entry.subject) == ("edit_work_tags", bob)
    assert entry.before["tags"][TagType.FREEFORM] == ["Fluff", "Rain"]
    assert entry.before["tags"][TagType.WARNING] == ["No Archive Warnings Apply"]
    assert entry.after["tags"] == now
    assert found_titles("include=Rain") == []


def test_undoing_a_tag_edit_restores_the_tags_before(bobs_work):
    moderator = polly()
    before = work_actions.tag_names_of(bobs_work)
    entry = content.edit_work_tags(moderator, bobs_work, fixed(bobs_work), "Unwarned.")
    undone = undo.undo(moderator, entry)
    assert work_actions.tag_names_of(Work.objects.get(pk=bobs_work.pk)) == before
    assert undone.undoes == entry
    assert found_titles("include=Rain") == ["Secret Harbour"]


def test_tags_a_work_must_have_are_still_required(bobs_work):
    names = work_actions.tag_names_of(bobs_work)
    names[TagType.FANDOM] = []
    with pytest.raises(ValidationError) as refused:
        content.edit_work_tags(polly(), bobs_work, names, "No fandom.")
    assert "fandoms" in refused.value.message_dict
    assert work_actions.tag_names_of(bobs_work)[TagType.FANDOM] == ["Lighthouses"]


@pytest.mark.parametrize("who", REFUSED)
def test_editing_others_tags_is_refused_without_the_permission(who, bobs_work, alice, carol):
    user = refused_user(who, reader=carol, author=alice)
    with pytest.raises(PermissionDenied):
        content.edit_work_tags(user, bobs_work, fixed(bobs_work), "Retag.")
    with pytest.raises(PermissionDenied):
        work_actions.set_work_tags(user, bobs_work, fixed(bobs_work))  # type: ignore[arg-type]
    assert work_actions.tag_names_of(bobs_work)[TagType.FREEFORM] == ["Fluff", "Rain"]
    assert not AuditEntry.objects.exists()
