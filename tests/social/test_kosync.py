"""KOReader's progress sync, spoken as its plugin speaks it (KOSyncClient.lua and api.json:
`Accept: application/vnd.koreader.v1+json`, `x-auth-user` and `x-auth-key` = the MD5 of the
key typed in as the password, JSON bodies), against the EPUB the reader downloaded here: a
place pushed from the e-reader shows on the web, and a place kept on the web is served back as
an XPointer that points at the same paragraph of that EPUB."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.test import Client
from lxml import etree

from ficarchive.accounts.actions import update_preferences
from ficarchive.accounts.models import User
from ficarchive.social.ereaders import partial_md5
from ficarchive.social.models import ChapterRead, EpubVersion, Reading, ReadingDevice
from ficarchive.works import actions as works
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work

ACCEPT = "application/vnd.koreader.v1+json"
XHTML = "{http://www.w3.org/1999/xhtml}"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class KOReader:
    """The requests KOReader's sync plugin makes, header for header."""

    def __init__(self, username: str, key: str) -> None:
        self.client = Client()
        self.headers = {
            "accept": ACCEPT,
            "x-auth-user": username,
            "x-auth-key": md5(key),  # userkey = md5(password)
        }

    def register(self, username: str, password: str) -> Any:
        body = {"username": username, "password": md5(password)}
        return self.client.post(
            "/kosync/users/create",
            body,
            content_type="application/json",
            headers={"accept": ACCEPT},
        )

    def authorize(self) -> Any:
        return self.client.get("/kosync/users/auth", headers=self.headers)

    def update_progress(self, document: str, progress: str, percentage: float) -> Any:
        body = {
            "document": document,
            "progress": progress,
            "percentage": percentage,
            "device": "Kobo_spaBW",
            "device_id": "5E3E1C9C0B2F4D5FA0B6D1F6C2C35EAA",
        }
        return self.client.put(
            "/kosync/syncs/progress", body, content_type="application/json", headers=self.headers
        )

    def get_progress(self, document: str) -> Any:
        return self.client.get(f"/kosync/syncs/progress/{document}", headers=self.headers)


def device_key(client: Client) -> str:
    page = client.post("/preferences/devices", {"name": "Kobo Clara"}).content.decode()
    return re.search(r'<code id="new-device-key">([^<]+)</code>', page).group(1)


@pytest.fixture
def saga(alice: User) -> Work:
    bodies = [
        "".join(f"<p>Chapter {c}, paragraph {n}.</p>" for n in range(1, 11))
        + "<hr><p>After the rule.</p>"
        for c in range(1, 4)
    ]
    return post_work(alice, "Saga", chapters=bodies)


def download(client: Client, work: Work) -> tuple[bytes, str]:
    """The EPUB as the reader saves it, and the name it is saved under."""
    response = client.get(f"/downloads/works/{work.pk}.epub")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    exact = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    name = unquote(exact.group(1)) if exact else re.search(r'filename="([^"]+)"', disposition)[1]
    return response.content, name


def follow(epub: bytes, pointer: str) -> str:
    """The text of the element an XPointer such as /body/DocFragment[3]/body/section/div[1]/p[3]
    points at in EPUB, read with lxml: the reader's e-reader would land there."""
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        package = etree.fromstring(book.read("EPUB/package.opf"))
        opf = "{http://www.idpf.org/2007/opf}"
        hrefs = {item.get("id"): item.get("href") for item in package.iter(f"{opf}item")}
        spine = [hrefs[ref.get("idref")] for ref in package.iter(f"{opf}itemref")]
        match = re.match(r"/body/DocFragment\[(\d+)\](/.*?)(/text\(\)\.\d+)?$", pointer)
        document = etree.fromstring(book.read(f"EPUB/{spine[int(match.group(1)) - 1]}"))
    path = "." + re.sub(r"/(\w+)", rf"/{{{XHTML[1:-1]}}}\1", match.group(2))
    found = document.find(
        path.replace("/{http://www.w3.org/1999/xhtml}body", "/" + XHTML + "body", 1)
    )
    assert found is not None, pointer
    return "".join(found.itertext()).strip()


def test_a_place_pushed_from_koreader_shows_on_the_web_and_the_web_s_is_served_back(
    carol: User, carol_client: Client, saga: Work
) -> None:
    epub, _ = download(carol_client, saga)
    document = partial_md5(epub)
    assert EpubVersion.objects.filter(work=saga, digest=document).exists()
    koreader = KOReader("carol", device_key(carol_client))

    answer = koreader.authorize()
    assert (answer.status_code, answer.json()) == (200, {"authorized": "OK"})
    assert answer["Content-Type"] == "application/json"

    # KOReader pushes: chapter 3 (the 4th spine file, after the title page), its 5th <p>.
    pushed = "/body/DocFragment[4]/body/section/div[1]/p[5]/text().0"
    assert follow(epub, pushed) == "Chapter 3, paragraph 5."
    answer = koreader.update_progress(document, pushed, 0.61)
    assert answer.status_code == 200, answer.content
    assert answer.json()["document"] == document and isinstance(answer.json()["timestamp"], int)
    third = saga.chapters.get(position=3)
    page = carol_client.get(f"/works/{saga.pk}").content.decode()
    assert (
        f'<a href="/works/{saga.pk}/chapters/{third.pk}#p-5">Continue reading: Chapter 3</a>'
        in page
    )

    # It reads back its own words until the reader moves elsewhere.
    back = koreader.get_progress(document).json()
    assert back["progress"] == pushed and back["percentage"] == 0.61
    assert (
        back["device"] == "Kobo_spaBW" and back["device_id"] == "5E3E1C9C0B2F4D5FA0B6D1F6C2C35EAA"
    )

    # The reader goes on on the web, to chapter 2's 8th paragraph: KOReader gets that place
    # as an XPointer into its own file.
    second = saga.chapters.get(position=2)
    carol_client.post(f"/works/{saga.pk}/place", {"chapter": second.pk, "paragraph": 8})
    back = koreader.get_progress(document).json()
    assert (
        back["device"] == "ficarchive" and back["device_id"] != "5E3E1C9C0B2F4D5FA0B6D1F6C2C35EAA"
    )
    assert follow(epub, back["progress"]) == "Chapter 2, paragraph 8."
    assert 0.4 < back["percentage"] < 0.6

    # A block that is not a <p> (the rule) and the one after it map both ways.
    carol_client.post(f"/works/{saga.pk}/place", {"chapter": second.pk, "paragraph": 12})
    back = koreader.get_progress(document).json()
    assert back["progress"].endswith("/div[1]/p[11]/text().0")
    assert follow(epub, back["progress"]) == "After the rule."
    koreader.update_progress(document, "/body/DocFragment[3]/body/section/div[1]/hr", 0.5)
    assert Reading.objects.get(user=carol).paragraph == 11


def test_the_end_of_a_chapter_on_the_e_reader_marks_it_read(
    carol: User, carol_client: Client, saga: Work
) -> None:
    _, name = download(carol_client, saga)
    koreader = KOReader("carol", device_key(carol_client))
    # KOReader's "file name" matching sends the MD5 of the file's name.
    by_name = md5(name)
    last = "/body/DocFragment[2]/body/section/div[1]/p[11]/text().0"  # chapter 1's last block
    assert koreader.update_progress(by_name, last, 0.3).status_code == 200
    first = saga.chapters.get(position=1)
    assert ChapterRead.objects.filter(user=carol, chapter=first).exists()
    page = carol_client.get(f"/works/{saga.pk}").content.decode()
    assert "Continue reading: Chapter 2" in page
    # The afterword: the last chapter was read to its end.
    koreader.update_progress(by_name, "/body/DocFragment[5]/body/section/p/text().0", 1.0)
    assert ChapterRead.objects.filter(user=carol, chapter=saga.chapters.get(position=3)).exists()


def test_the_same_epub_until_the_work_changes_and_old_ones_still_sync(
    alice: User, carol: User, carol_client: Client, saga: Work
) -> None:
    first, _ = download(carol_client, saga)
    again, _ = download(Client(), saga)
    assert first == again, "the same bytes for every reader"
    cache.clear()  # made again from the work, not served from the cache
    assert download(Client(), saga)[0] == first, "the same bytes however often it is made"
    works.add_chapter(alice, saga, works.ChapterDetails(body="<p>Chapter 4.</p>"))
    newer, _ = download(carol_client, saga)
    assert partial_md5(newer) != partial_md5(first)
    assert EpubVersion.objects.filter(work=saga).count() == 2
    koreader = KOReader("carol", device_key(carol_client))
    pointer = "/body/DocFragment[3]/body/section/div[1]/p[2]/text().0"
    assert koreader.update_progress(partial_md5(first), pointer, 0.4).status_code == 200
    assert Reading.objects.get(user=carol).chapter == saga.chapters.get(position=2)


def test_the_protocol_refuses_as_koreader_expects(
    alice: User, bob: User, carol: User, carol_client: Client, saga: Work
) -> None:
    epub, _ = download(carol_client, saga)
    document = partial_md5(epub)
    key = device_key(carol_client)

    created = KOReader("carol", key).register("newcomer", "secret")
    assert created.status_code == 402
    assert created.json()["code"] == 2005 and "device key" in created.json()["message"]
    assert not User.objects.filter(username="newcomer").exists()

    for username, sent in (("carol", "wrong"), ("bob", key), ("carol", "")):
        answer = KOReader(username, sent).authorize()
        assert (answer.status_code, answer.json()) == (
            401,
            {"code": 2001, "message": "Unauthorized"},
        )
    password_as_key = KOReader("carol", "correct horse battery staple")
    assert password_as_key.authorize().status_code == 401, "the account password is no key"
    assert KOReader("bob", key).get_progress(document).status_code == 401

    koreader = KOReader("carol", key)
    unknown = koreader.update_progress("0" * 32, "/body/DocFragment[2]/body/p", 0.1)
    assert unknown.status_code == 403 and unknown.json()["code"] == 2003
    assert koreader.get_progress("0" * 32).json() == {}
    missing = koreader.client.put(
        "/kosync/syncs/progress", {"progress": "x"}, content_type="application/json",
        headers=koreader.headers,
    )  # fmt: skip
    assert missing.status_code == 403 and missing.json()["code"] == 2004
    for bad in ({"document": document, "progress": "", "percentage": 1, "device": "K"},
                {"document": document, "progress": "/x", "percentage": "1", "device": "K"},
                {"document": "a:b", "progress": "/x", "percentage": 1, "device": "K"}):  # fmt: skip
        answer = koreader.client.put(
            "/kosync/syncs/progress", bad, content_type="application/json", headers=koreader.headers
        )
        assert answer.status_code == 403, bad
    not_json = koreader.client.put(
        "/kosync/syncs/progress", "{", content_type="application/json", headers=koreader.headers
    )
    assert not_json.status_code == 403 and not_json.json()["code"] == 2003
    assert not Reading.objects.exists()

    # A work the reader may no longer see is no document of theirs.
    works.hide_work(User.objects.create_superuser("boss", "boss@example.org", "pw"), saga, "Spam")
    assert koreader.get_progress(document).json() == {}
    hidden = koreader.update_progress(
        document, "/body/DocFragment[2]/body/section/h2/text().0", 0.1
    )
    assert hidden.status_code == 403

    # A reader with history off keeps no place, and is told so.
    works.unhide_work(User.objects.get(username="boss"), saga)
    update_preferences(carol, keep_history=False)
    off = koreader.update_progress(document, "/body/DocFragment[2]/body/section/h2/text().0", 0.1)
    assert off.status_code == 403 and "history is off" in off.json()["message"]
    assert not Reading.objects.exists()


def test_device_keys_are_made_listed_and_removed_in_preferences(
    carol: User, carol_client: Client, mallory: User
) -> None:
    page = carol_client.get("/preferences/devices").content.decode()
    assert "/kosync" in page and "You have no device keys." in page
    key = device_key(carol_client)
    device = ReadingDevice.objects.get(user=carol)
    assert key not in device.key_hash and md5(key) not in device.key_hash, "only a hash is kept"
    assert "Kobo Clara" in carol_client.get("/preferences/devices").content.decode()
    empty = carol_client.post("/preferences/devices", {"name": "  "})
    assert empty.status_code == 400
    assert logged_in(mallory).post(f"/preferences/devices/{device.pk}/remove").status_code == 404
    assert KOReader("carol", key).authorize().status_code == 200
    carol_client.post(f"/preferences/devices/{device.pk}/remove")
    assert KOReader("carol", key).authorize().status_code == 401


def test_guessing_device_keys_hits_the_log_in_limits(
    carol: User, carol_client: Client, settings: Any
) -> None:
    """Wrong keys count as failed log-ins of the name: past the limit even the right key waits,
    with a 429 that says for how long."""
    settings.LOGIN_FAILURE_LIMIT = 3
    cache.clear()
    key = device_key(carol_client)
    assert KOReader("carol", key).authorize().status_code == 200, "a right key counts nothing"
    for guess in range(3):
        assert KOReader("carol", f"guess {guess}").authorize().status_code == 401
    refused = KOReader("carol", key).authorize()
    assert refused.status_code == 429
    assert refused.json()["code"] == 2001
    assert re.match(
        r"Too many failed log-ins; try again in \d+ minutes?", refused.json()["message"]
    )
    assert KOReader("carol", key).get_progress("0" * 32).status_code == 429
