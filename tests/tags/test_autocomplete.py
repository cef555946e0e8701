"""Tag autocomplete: GET /tags/autocomplete answers an HTML fragment of suggested tags."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.tags.models import Tag, TagType
from tests.tags.test_resolving import character, fandom, relationship

URL = "/tags/autocomplete"


@pytest.fixture
def tags(db: Any) -> dict[str, Tag]:
    bnha = fandom("My Hero Academia")
    Tag.objects.create(type=TagType.FANDOM, name="BNHA", synonym_of=bnha)
    hp = fandom("Harry Potter - J. K. Rowling")
    star_wars = fandom("Star Wars - All Media Types")
    clone_wars = fandom("Star Wars: The Clone Wars (2008)", star_wars)
    found = {
        "Todoroki Shouto": character("Todoroki Shouto", bnha),
        "Midoriya Izuku": character("Midoriya Izuku", bnha, synonyms=("Deku",)),
        "Shouto Sakamaki": character("Shouto Sakamaki", hp),
        "Harry Potter": character("Harry Potter", hp),
        "Draco Malfoy": character("Draco Malfoy", hp),
        "Obi-Wan Kenobi": character("Obi-Wan Kenobi", star_wars),
        "Ahsoka Tano": character("Ahsoka Tano", clone_wars),
    }
    found["Draco Malfoy/Harry Potter"] = relationship(found["Draco Malfoy"], found["Harry Potter"])
    Tag.objects.create(type=TagType.CHARACTER, name="Shouto the Unwrangled")
    return found


def suggested(response: Any) -> list[str]:
    """The tag names offered, in order."""
    page = response.content.decode()
    return [part.split('"', 1)[0] for part in page.split('data-tag-pick="')[1:]]


def test_characters_are_suggested_from_the_works_fandoms(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "Sho", "fandom": "My Hero Academia"})
    assert response.status_code == 200
    assert suggested(response) == ["Todoroki Shouto"]
    assert '<ul class="tag-suggestions-list" aria-label="Suggested tags">' in (
        response.content.decode()
    )


def test_without_a_known_fandom_every_wrangled_character_is_suggested(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "sho"})
    assert suggested(response) == ["Shouto Sakamaki", "Todoroki Shouto"]
    unknown = client.get(URL, {"type": "character", "q": "sho", "fandom": "Hero Aca"})
    assert suggested(unknown) == ["Shouto Sakamaki", "Todoroki Shouto"]


def test_unwrangled_tags_are_never_suggested(client: Client, tags):
    assert "Shouto the Unwrangled" not in suggested(
        client.get(URL, {"type": "character", "q": "Shouto"})
    )


def test_canonical_tags_come_before_synonyms(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "d", "fandom": "BNHA"})
    assert suggested(response) == ["Midoriya Izuku", "Todoroki Shouto", "Deku"]
    assert "(another name for Midoriya Izuku)" in response.content.decode()


def test_names_starting_with_the_text_come_first(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "Sho"})
    assert suggested(response) == ["Shouto Sakamaki", "Todoroki Shouto"]
    response = client.get(URL, {"type": "character", "q": "Tod"})
    assert suggested(response) == ["Todoroki Shouto"]


def test_words_may_come_in_any_order(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "Shouto Todo"})
    assert suggested(response) == ["Todoroki Shouto"]
    response = client.get(URL, {"type": "relationship", "q": "Harry/Draco"})
    assert suggested(response) == ["Draco Malfoy/Harry Potter"]


def test_metatag_characters_are_suggested_in_sub_fandoms_and_back(client: Client, tags):
    sub = "Star Wars: The Clone Wars (2008)"
    response = client.get(URL, {"type": "character", "q": "k", "fandom": sub})
    assert suggested(response) == ["Ahsoka Tano", "Obi-Wan Kenobi"]
    meta = "Star Wars - All Media Types"
    response = client.get(URL, {"type": "character", "q": "a", "fandom": meta})
    assert suggested(response) == ["Ahsoka Tano", "Obi-Wan Kenobi"]


def test_posting_form_fields_are_read_as_htmx_sends_them(client: Client, tags):
    response = client.get(
        URL,
        {
            "type": "character",
            "characters": "Midoriya Izuku, sho",
            "fandoms": "Harry Potter - J. K. Rowling, BNHA",
        },
    )
    assert suggested(response) == ["Shouto Sakamaki", "Todoroki Shouto"]
    response = client.get(URL, {"type": "fandom", "fandoms": "BNHA, my hero"})
    assert suggested(response) == ["My Hero Academia"]


def test_fandoms_and_additional_tags_are_not_restricted(client: Client, tags):
    Tag.objects.create(type=TagType.FREEFORM, name="Slow Burn", canonical=True)
    response = client.get(URL, {"type": "freeform", "q": "slow", "fandom": "BNHA"})
    assert suggested(response) == ["Slow Burn"]
    response = client.get(URL, {"type": "fandom", "q": "star wars"})
    assert suggested(response) == [
        "Star Wars - All Media Types",
        "Star Wars: The Clone Wars (2008)",
    ]


def test_at_most_ten_suggestions_in_one_query(client: Client, db, django_assert_max_num_queries):
    hp = fandom("Harry Potter - J. K. Rowling")
    for number in range(15):
        character(f"Weasley {number:02}", hp)
    with django_assert_max_num_queries(1):
        response = client.get(URL, {"type": "character", "q": "weasley", "fandom": hp.name})
    assert suggested(response) == [f"Weasley {number:02}" for number in range(10)]


def test_empty_text_suggests_nothing(client: Client, tags, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(URL, {"type": "character", "q": "  ", "fandom": "BNHA"})
    assert response.status_code == 200
    assert suggested(response) == []
    assert client.get(URL, {"type": "character", "characters": "Deku, "}).content.strip() == b""


def test_text_that_fits_nothing_suggests_nothing(client: Client, tags):
    assert suggested(client.get(URL, {"type": "character", "q": "Zzyzx"})) == []


@pytest.mark.parametrize("tag_type", ["rating", "", "warning", "nonsense"])
def test_bad_type_is_refused_with_a_message(client: Client, tags, tag_type: str):
    response = client.get(URL, {"type": tag_type, "q": "Sho"})
    assert response.status_code == 400
    assert (
        "Choose a type of tag to suggest: fandom, character, relationship or freeform."
        in response.content.decode()
    )


def test_missing_type_is_refused(client: Client, tags):
    assert client.get(URL, {"q": "Sho"}).status_code == 400


def test_overlong_name_is_refused(client: Client, tags):
    response = client.get(URL, {"type": "character", "q": "x" * 151})
    assert response.status_code == 400
    assert "at most 150 characters" in response.content.decode()


def test_only_the_name_after_the_last_comma_counts(client: Client, tags):
    earlier = ", ".join(f"Someone {number} " + "x" * 100 for number in range(60))
    response = client.get(URL, {"type": "character", "characters": f"{earlier}, Todo"})
    assert response.status_code == 200
    assert suggested(response) == ["Todoroki Shouto"]


def test_post_is_not_allowed(client: Client, tags):
    assert client.post(URL, {"type": "character", "q": "Sho"}).status_code == 405


def test_markup_in_tag_names_is_escaped(client: Client, db):
    Tag.objects.create(type=TagType.FREEFORM, name='<b>"Bold"</b>', canonical=True)
    page = client.get(URL, {"type": "freeform", "q": "bold"}).content.decode()
    assert "<b>" not in page
    assert "&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;" in page


def test_guests_and_authors_get_the_same_suggestions(client: Client, alice_client: Client, tags):
    query = {"type": "character", "q": "Sho", "fandom": "My Hero Academia"}
    assert suggested(client.get(URL, query)) == suggested(alice_client.get(URL, query))


# --- the posting form --------------------------------------------------------------------


def test_posting_form_tag_fields_ask_for_suggestions(alice_client: Client, db):
    page = alice_client.get("/works/new").content.decode()
    assert 'src="/static/ficarchive/vendor/htmx.min.js" defer' in page
    assert 'hx-get="/tags/autocomplete"' in page
    assert 'hx-vals="{&quot;type&quot;: &quot;character&quot;}"' in page
    assert 'hx-target="next .tag-suggestions"' in page
    assert page.count('hx-include="[name=&#x27;fandoms&#x27;]"') == 3
    assert '<div class="tag-suggestions" data-tags-for="id_characters"' in page


def test_posting_form_tag_fields_stay_plain_text_inputs(alice_client: Client, db):
    page = alice_client.get("/works/new").content.decode()
    assert '<input type="text" name="characters"' in page
    assert '<input type="text" name="fandoms"' in page
