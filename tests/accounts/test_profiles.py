import pytest
from django.urls import reverse

from ficarchive.accounts import actions
from ficarchive.search.index_keeper import get_index
from ficarchive.tags.models import EXPLICIT
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, post_work


def profile_url(username):
    return reverse("accounts:profile", args=[username])


def works_url(username):
    return reverse("accounts:user_works", args=[username])


def test_profile_shows_pseuds_counts_and_links(client, alice):
    actions.create_pseud(alice, "Night Keeper")
    lighthouse = post_work(alice, "The Lighthouse Keeper")
    post_work(alice, "A Hidden Draft", draft=True)
    series = work_actions.create_series(alice, "The Coast")
    work_actions.add_work_to_series(alice, lighthouse, series)
    page = client.get(profile_url("alice")).content.decode()
    assert "<h1>alice</h1>" in page
    assert "Night Keeper" in page
    assert "The Lighthouse Keeper" in page
    assert "A Hidden Draft" not in page
    assert f'href="{works_url("alice")}">1</a>' in page
    assert f'href="{reverse("accounts:user_series", args=["alice"])}">1</a>' in page
    # Series are listed on their own page; here only the work's blurb names its series.
    assert page.count(series.title) == 1
    assert f'Part 1 of <a href="{series.get_absolute_url()}">{series.title}</a>' in page


def test_profile_address_ignores_case(client, alice):
    assert client.get(profile_url("ALICE")).status_code == 200


def test_unknown_user_is_not_found(client, db):
    for url in (
        profile_url("nobody"),
        works_url("nobody"),
        reverse("accounts:user_series", args=["nobody"]),
        reverse("accounts:pseuds", args=["nobody"]),
        reverse("accounts:pseud", args=["nobody", "nobody"]),
    ):
        assert client.get(url).status_code == 404, url


def test_unknown_pseud_is_not_found(client, alice):
    assert client.get(reverse("accounts:pseud", args=["alice", "Nobody"])).status_code == 404
    # A pseud of another user is not found under this user's address.
    actions.create_pseud(alice, "Night Keeper")
    bob_url = reverse("accounts:pseud", args=["bob", "Night Keeper"])
    assert client.get(bob_url).status_code == 404


def test_user_works_lists_only_what_the_viewer_may_see(client, carol_client, alice):
    post_work(alice, "Open to All")
    post_work(alice, "Members Only", restricted=True)
    post_work(alice, "Still a Draft", draft=True)
    guest_page = client.get(works_url("alice")).content.decode()
    assert "Open to All" in guest_page
    assert "Members Only" not in guest_page
    assert "Still a Draft" not in guest_page
    reader_page = carol_client.get(works_url("alice")).content.decode()
    assert "Members Only" in reader_page
    assert "Still a Draft" not in reader_page


def test_user_works_are_paginated(client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(5):
        post_work(alice, f"Keeper {number}")
    first = client.get(works_url("alice")).content.decode()
    assert "5 works" in first
    assert "Keeper 4" in first and "Keeper 3" in first and "Keeper 2" not in first
    assert 'rel="next" href="?page=2"' in first
    last = client.get(works_url("alice") + "?page=3").content.decode()
    assert "Keeper 0" in last and "Keeper 1" not in last


def pseud_url(username):
    return reverse("accounts:pseud", args=[username, username])


@pytest.mark.parametrize(
    ("url", "most"),
    [(profile_url, 8), (works_url, 6), (pseud_url, 7)],
    ids=["profile", "works", "pseud"],
)
def test_user_pages_query_count_does_not_grow_with_works(
    url, most, client, carol_client, alice, bob, django_assert_max_num_queries
):
    for number in range(6):
        work = post_work(
            alice,
            f"Keeper {number}",
            rating=EXPLICIT,
            warnings=["Graphic Depictions Of Violence"],
            fandoms=["Original Work", "Lighthouses"],
            freeforms=["Storms"],
        )
        invite = work_actions.invite_cocreator(alice, work, bob.default_pseud)
        work_actions.accept_cocreator_invite(bob, invite)
        series = work_actions.create_series(alice, f"The Coast {number}")
        work_actions.add_work_to_series(alice, work, series)
    get_index()  # built once per machine, not per request
    with django_assert_max_num_queries(most):
        response = client.get(url("alice"))
    assert "Keeper 5" in response.content.decode()
    # the session, the reader, their places in the works listed (social.places), and (on
    # profile and pseud) their follow/block/mute of alice
    extra = 3 if url is works_url else 4
    with django_assert_max_num_queries(most + extra):
        response = carol_client.get(url("alice"))
    assert "Keeper 5" in response.content.decode()


def test_user_series_lists_series_with_links(client, alice):
    work = post_work(alice)
    series = work_actions.create_series(alice, "The Coast", summary="<p>Salt <em>air</em></p>")
    work_actions.add_work_to_series(alice, work, series)
    page = client.get(reverse("accounts:user_series", args=["alice"])).content.decode()
    assert f'href="{series.get_absolute_url()}">The Coast</a>' in page
    assert "<em>air</em>" in page


def test_pseud_page_shows_description_and_only_visible_works(client, carol_client, alice):
    pseud = actions.create_pseud(alice, "Night Keeper", "Writes <i>after dark</i>.")
    posted = post_work(alice, "Under the Night Keeper")
    draft = post_work(alice, "Night Draft", draft=True)
    restricted = post_work(alice, "Night Members", restricted=True)
    for work in (posted, draft, restricted):
        work.creatorships.update(pseud=pseud)
    post_work(alice, "Under the Default Pseud")

    url = pseud.get_absolute_url()
    assert url == "/users/alice/pseuds/Night%20Keeper"
    page = client.get(url).content.decode()
    assert "Night Keeper (alice)" in page
    assert "Writes &lt;i&gt;after dark&lt;/i&gt;." in page
    assert "Under the Night Keeper" in page
    assert "Night Draft" not in page
    assert "Night Members" not in page
    assert "Under the Default Pseud" not in page
    assert "Night Members" in carol_client.get(url).content.decode()


def test_pseud_page_is_paginated(client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    for number in range(3):
        post_work(alice, f"Keeper {number}")
    url = alice.default_pseud.get_absolute_url()
    assert 'rel="next" href="?page=2"' in client.get(url).content.decode()
    assert "Keeper 0" in client.get(url + "?page=2").content.decode()


def test_orphan_account_page_still_shows_orphaned_works(client, alice, work):
    actions.delete_account(alice, "orphan")
    for url in (profile_url("orphan_account"), works_url("orphan_account")):
        page = client.get(url).content.decode()
        assert work.title in page


def test_user_series_hides_series_the_reader_cannot_read(client, carol_client, alice):
    draft = post_work(alice, "Draft Part", draft=True)
    members = post_work(alice, "Members Part", restricted=True)
    secret = work_actions.create_series(alice, "Secret Saga")
    work_actions.add_work_to_series(alice, draft, secret)
    members_only = work_actions.create_series(alice, "Members Saga")
    work_actions.add_work_to_series(alice, members, members_only)
    url = reverse("accounts:user_series", args=["alice"])

    guest_page = client.get(url).content.decode()
    assert "Secret Saga" not in guest_page and "Members Saga" not in guest_page
    assert f'{url}">0</a>' in client.get(profile_url("alice")).content.decode()
    assert f'{url}">2</a>' in logged_in(alice).get(profile_url("alice")).content.decode()
    reader_page = carol_client.get(url).content.decode()
    assert "Members Saga" in reader_page and "Secret Saga" not in reader_page
    owner_page = logged_in(alice).get(url).content.decode()
    assert "Secret Saga" in owner_page and "Members Saga" in owner_page
