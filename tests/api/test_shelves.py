"""Shelves through the API: an app makes, fills, orders and empties the reader's shelves, and
the web page shows the same list; nobody else's shelf can be read or changed."""

from __future__ import annotations

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.social import actions
from ficarchive.social.models import Shelf
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import logged_in, post_work

JSON = "application/json"


def test_an_app_keeps_a_reading_list_in_step_with_the_web(alice: User, carol: User) -> None:
    tide, lantern, orchard = (post_work(alice, t) for t in ("Tide", "Lantern", "Orchard"))
    app = bearer(token_for(carol))
    made = app.post(
        f"{API}/me/shelves", {"name": "For my sister", "description": "Gentle ones."}, JSON
    )
    assert made.status_code == 201, made.content
    shelf = made.json()
    assert shelf["name"] == "For my sister" and shelf["work_count"] == 0
    assert shelf["downloads"]["epub"] == f"http://testserver/downloads/shelves/{shelf['id']}.epub"

    address = f"{API}/me/shelves/{shelf['id']}"
    arranged = app.put(
        f"{address}/works", {"work_ids": [orchard.pk, tide.pk, lantern.pk]}, content_type=JSON
    )
    assert arranged.status_code == 200, arranged.content
    assert [w["title"] for w in arranged.json()["works"]] == ["Orchard", "Tide", "Lantern"]
    assert [w["position"] for w in arranged.json()["works"]] == [1, 2, 3]

    page = logged_in(carol).get(f"/shelves/{shelf['id']}").content.decode()
    assert page.index(">Orchard</a>") < page.index(">Tide</a>") < page.index(">Lantern</a>")

    actions.move_on_shelf(carol, Shelf.objects.get(pk=shelf["id"]), lantern.pk, 1)
    assert [w["title"] for w in app.get(address).json()["works"]] == [
        "Lantern",
        "Orchard",
        "Tide",
    ]

    renamed = app.patch(address, {"name": "Sister's"}, content_type=JSON)
    assert renamed.status_code == 200 and renamed.json()["description"] == "Gentle ones."
    listed = app.get(f"{API}/me/shelves").json()["shelves"]
    assert [(s["name"], s["work_count"]) for s in listed] == [("Sister's", 3)]

    assert app.delete(address).status_code == 204
    assert app.get(address).status_code == 404
    assert Work.objects.filter(pk=tide.pk).exists()


def test_refusals_name_the_field_and_change_nothing(alice: User, carol: User) -> None:
    tide = post_work(alice, "Tide")
    draft = post_work(alice, "Unposted", draft=True)
    app = bearer(token_for(carol))
    shelf = app.post(f"{API}/me/shelves", {"name": "Comfort"}, JSON).json()
    twin = app.post(f"{API}/me/shelves", {"name": "comfort"}, JSON)
    assert twin.status_code == 422
    assert error_of(twin)["field"] == "name"
    assert "already have a shelf" in error_of(twin)["message"]

    address = f"{API}/me/shelves/{shelf['id']}/works"
    app.put(address, {"work_ids": [tide.pk]}, content_type=JSON)
    hidden = app.put(address, {"work_ids": [tide.pk, draft.pk]}, content_type=JSON)
    assert hidden.status_code == 422
    assert f"No work you may read has the id {draft.pk}." in error_of(hidden)["message"]
    twice = app.put(address, {"work_ids": [tide.pk, tide.pk]}, content_type=JSON)
    assert twice.status_code == 422
    wrong_type = app.put(address, {"work_ids": "all"}, content_type=JSON)
    assert wrong_type.status_code == 422
    assert [w["title"] for w in app.get(f"{API}/me/shelves/{shelf['id']}").json()["works"]] == [
        "Tide"
    ]

    read_only = bearer(token_for(carol, scope="read", name="Reader"))
    assert read_only.post(f"{API}/me/shelves", {"name": "Nope"}, JSON).status_code == 403
    assert Client().get(f"{API}/me/shelves").status_code == 401
    assert list(Shelf.objects.values_list("name", flat=True)) == ["Comfort"]


def test_someone_else_s_shelf_is_a_404_to_every_verb(alice: User, bob: User, carol: User) -> None:
    tide = post_work(alice, "Tide")
    shelf = actions.create_shelf(carol, actions.ShelfDetails("Secret"))
    actions.add_to_shelf(carol, shelf, tide)
    app = bearer(token_for(bob))
    address = f"{API}/me/shelves/{shelf.pk}"
    assert app.get(address).status_code == 404
    assert app.patch(address, {"name": "Bob's"}, content_type=JSON).status_code == 404
    assert app.put(f"{address}/works", {"work_ids": []}, content_type=JSON).status_code == 404
    assert app.delete(address).status_code == 404
    assert app.get(f"{API}/me/shelves").json() == {"shelves": []}
    shelf.refresh_from_db()
    assert shelf.name == "Secret" and shelf.entries.count() == 1
