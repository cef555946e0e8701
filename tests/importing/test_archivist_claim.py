"""The external author's side: one invitation mail with a signed link, and the page where they
claim their works (signed in), orphan them, remove them, or refuse imports from now on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import ORPHAN_ACCOUNT, User
from ficarchive.importing import invitations
from ficarchive.importing.actions import ForAuthor, invite_external_authors
from ficarchive.importing.invitations import SALT, author_of_token, claim_url, send_invitation
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import Role
from ficarchive.search.models import SearchChange
from ficarchive.works.archived import ExternalAuthor, ExternalCreatorship
from ficarchive.works.models import Creatorship, Work
from tests.conftest import found_titles, logged_in, post_work
from tests.importing.archivists import archived
from tests.moderation.holders import holder


@pytest.fixture
def pim(archie: User) -> ExternalAuthor:
    """Two works archie imported for Pim, and the third, his own."""
    archived(archie, "The Glass Orchard", invite=False)
    archived(archie, "Salt Roads", invite=False)
    post_work(archie, "Archie's Own")
    return ExternalAuthor.objects.get()


def link_in(body: str) -> str:
    found = re.search(r"https?://\S+(/works/claim/\S+)", body)
    assert found, body
    return found.group(1)


def titles_of(user: User) -> list[str]:
    return sorted(Work.objects.by_user(user).values_list("title", flat=True))


# --- the invitation --------------------------------------------------------------------------


def test_the_author_gets_one_mail_listing_their_works_with_a_signed_link(
    pim: ExternalAuthor, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_external_authors([pim.pk, pim.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pim@example.org"]
    assert message.subject == "Your works were archived on ficarchive: claim them or say no"
    assert "Hello Pim Halloway," in message.body
    assert "imported 2 works of yours" in message.body
    assert "“The Glass Orchard” by Pim Halloway [archived by archie]" in message.body
    assert "“Salt Roads”" in message.body
    assert "Archie's Own" not in message.body
    link = link_in(message.body)
    assert link.startswith("/works/claim/")
    assert author_of_token(link.removeprefix("/works/claim/")) == pim
    assert set(ExternalCreatorship.objects.values_list("invited_at", flat=True)) != {None}


def test_a_second_task_for_the_same_batch_sends_nothing(pim: ExternalAuthor):
    assert send_invitation.call(pim.pk) == 2
    assert send_invitation.call(pim.pk) == 0
    assert len(mail.outbox) == 1


def test_a_later_import_is_a_new_mail_naming_every_waiting_work(pim: ExternalAuthor, archie: User):
    send_invitation.call(pim.pk)
    archived(archie, "A Third", invite=False)
    assert send_invitation.call(pim.pk) == 1
    assert len(mail.outbox) == 2
    assert "imported 3 works of yours" in mail.outbox[1].body


# --- the claim page --------------------------------------------------------------------------


def test_the_page_lists_the_works_for_anyone_holding_the_link(pim: ExternalAuthor, client):
    page = client.get(claim_url(pim)).content.decode()
    assert "The Glass Orchard" in page and "Salt Roads" in page
    assert "Archie&#x27;s Own" not in page
    assert "Log in to claim them" in page
    assert "/login?next=%2Fworks%2Fclaim%2F" in page


def test_a_guest_who_claims_is_sent_to_log_in_and_back(pim: ExternalAuthor, carol: User):
    client = Client()
    url = claim_url(pim)
    response = client.post(url, {"decision": "claim"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert titles_of(carol) == []
    back = client.post(
        response["Location"], {"username": "carol", "password": "correct horse battery staple"}
    )
    assert back.status_code == 302
    assert back["Location"] == url
    assert "Claim them" in client.get(url).content.decode()


def test_claiming_moves_the_works_to_the_claimers_default_pseud(
    pim: ExternalAuthor, archie: User, carol: User
):
    client = logged_in(carol)
    searched_before = SearchChange.objects.count()
    response = client.post(claim_url(pim), {"decision": "claim"}, follow=True)
    assert "2 works are now yours." in response.content.decode()
    assert titles_of(carol) == ["Salt Roads", "The Glass Orchard"]
    assert titles_of(archie) == ["Archie's Own"]
    for work in Work.objects.exclude(title="Archie's Own"):
        assert work.creators == [carol.default_pseud]
        assert work.byline_text == "carol"
        page = client.get(work.get_absolute_url()).content.decode()
        assert "archived by" not in page
    assert set(ExternalCreatorship.objects.values_list("state", flat=True)) == {"claimed"}
    pim.refresh_from_db()
    assert pim.claimed_by == carol
    assert SearchChange.objects.count() > searched_before
    assert found_titles("q=carol") == ["Salt Roads", "The Glass Orchard"]
    assert "No works wait for you" in client.get(claim_url(pim)).content.decode()


def test_a_suspended_account_may_not_claim_but_may_refuse(pim: ExternalAuthor, carol: User):
    sanctions.suspend(holder(Role.POLICY_ABUSE), carol, timezone.now() + timedelta(days=3),
                      "Spam waves.")  # fmt: skip
    client = logged_in(User.objects.get(pk=carol.pk))
    response = client.post(claim_url(pim), {"decision": "claim"})
    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()
    assert titles_of(carol) == []
    assert set(ExternalCreatorship.objects.values_list("state", flat=True)) == {"waiting"}
    response = client.post(claim_url(pim), {"decision": "refuse"}, follow=True)
    assert "will not import works for your address again" in response.content.decode()


def test_a_series_the_import_made_goes_with_the_works(archie: User, carol: User):
    from ficarchive.importing.actions import import_work
    from ficarchive.importing.parsed import SeriesPlace
    from ficarchive.works.models import Series
    from tests.importing.archivists import PIM, parsed

    for title in ("Part One", "Part Two"):
        work = parsed(title)
        work.series = SeriesPlace("The Orchard Cycle")
        import_work(archie, work, for_author=PIM, invite=False)
    series = Series.objects.get()
    assert [p.user for p in series.creators.all()] == [archie]
    logged_in(carol).post(claim_url(ExternalAuthor.objects.get()), {"decision": "claim"})
    assert [p.user for p in series.creators.all()] == [carol]
    assert series.parts.count() == 2


def test_the_admin_lists_external_authors_read_only(pim: ExternalAuthor, ada_client: Client):
    listing = ada_client.get("/admin/works/externalauthor/")
    assert listing.status_code == 200
    assert "pim@example.org" in listing.content.decode()
    assert ada_client.get("/admin/works/externalauthor/add/").status_code == 403


def test_orphaning_takes_the_authors_and_the_archivists_names_off(
    pim: ExternalAuthor, archie: User, client: Client
):
    response = client.post(claim_url(pim), {"decision": "orphan"}, follow=True)
    assert "2 works are orphaned" in response.content.decode()
    for work in Work.objects.exclude(title="Archie's Own"):
        assert [p.user.username for p in work.creators] == [ORPHAN_ACCOUNT]
        page = client.get(work.get_absolute_url()).content.decode()
        assert "Pim Halloway" not in page and "archived by" not in page
    assert titles_of(archie) == ["Archie's Own"]
    assert set(ExternalCreatorship.objects.values_list("state", flat=True)) == {"orphaned"}
    assert found_titles("q=Halloway") == []


def test_removing_deletes_the_works(pim: ExternalAuthor, client: Client):
    response = client.post(claim_url(pim), {"decision": "remove"}, follow=True)
    assert "2 works are removed from the archive." in response.content.decode()
    assert list(Work.objects.values_list("title", flat=True)) == ["Archie's Own"]
    assert found_titles("q=Orchard") == []


def test_refusing_keeps_archivists_from_importing_for_the_address_again(
    pim: ExternalAuthor, archie: User, client: Client
):
    response = client.post(claim_url(pim), {"decision": "refuse"}, follow=True)
    assert "Archivists will not import works for your address again." in (response.content.decode())
    pim.refresh_from_db()
    assert pim.do_not_import
    with pytest.raises(Exception, match="asked that their works not be imported"):
        archived(archie, "Another", author=ForAuthor("Pim", "PIM@example.org"))
    assert not Work.objects.filter(title="Another").exists()


def test_an_unknown_choice_is_refused(pim: ExternalAuthor, client: Client):
    response = client.post(claim_url(pim), {"decision": "steal"})
    assert response.status_code == 400
    assert "Choose one of claim, orphan, remove, refuse, not &#x27;steal&#x27;." in (
        response.content.decode()
    )
    assert Work.objects.count() == 3


def test_claiming_needs_csrf(pim: ExternalAuthor, carol: User):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post(claim_url(pim), {"decision": "claim"}).status_code == 403
    assert titles_of(carol) == []


# --- bad links ---------------------------------------------------------------------------------


def test_an_altered_link_is_refused(pim: ExternalAuthor, carol: User):
    url = claim_url(pim)
    altered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    client = logged_in(carol)
    for method in (client.get, client.post):
        response = method(altered, {"decision": "claim"})
        assert response.status_code == 404
        assert "This link is not one the archive sent, or it was changed." in (
            response.content.decode()
        )
    assert titles_of(carol) == []


def test_a_forged_link_for_another_author_is_refused(pim: ExternalAuthor, carol: User):
    other = ExternalAuthor.objects.create(email="other@example.org")
    unsigned = signing.dumps({"author": pim.pk, "email": pim.email}, salt="another salt")
    swapped = signing.dumps({"author": pim.pk, "email": other.email}, salt=SALT)
    client = logged_in(carol)
    assert client.post(f"/works/claim/{unsigned}", {"decision": "claim"}).status_code == 404
    response = client.post(f"/works/claim/{swapped}", {"decision": "claim"})
    assert response.status_code == 404
    assert "This link names no author the archive knows." in response.content.decode()
    assert titles_of(carol) == []


def test_an_expired_link_says_so(pim: ExternalAuthor, client: Client, monkeypatch):
    url = claim_url(pim)
    monkeypatch.setattr(invitations, "CLAIM_LINK_DAYS", -1)
    response = client.post(url, {"decision": "remove"})
    assert response.status_code == 400
    assert "This link is more than -1 days old." in response.content.decode()
    assert Work.objects.count() == 3


def test_the_orphan_account_cannot_claim(pim: ExternalAuthor):
    from ficarchive.accounts.actions import orphan_account
    from ficarchive.works.actions import claim_archived_works

    with pytest.raises(PermissionDenied):
        claim_archived_works(orphan_account(), pim)
    assert not Creatorship.objects.filter(pseud__user__username=ORPHAN_ACCOUNT).exists()
