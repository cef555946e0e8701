"""`ficarchive users create`: an account made from the shell with sign-up's checks; and every
account, however made, has its default pseud."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import Pseud, User
from ficarchive.moderation.actions.invitations import ban_address
from ficarchive.moderation.models import Role
from tests.moderation.holders import holder

PASSPHRASE = "a long pass phrase 77"


def password_file(tmp_path: Path, text: str = PASSPHRASE + "\n") -> str:
    path = tmp_path / "password"
    path.write_text(text)
    path.chmod(0o600)
    return str(path)


def create(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("users", "create", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_it_makes_an_active_account_with_its_pseud(db, tmp_path):
    said = create("lena", "--email", "lena@example.org", "--password-file", password_file(tmp_path))
    assert said.strip() == "Made the account lena (lena@example.org)."
    user = authenticate(username="lena", password=PASSPHRASE)
    assert user is not None and user.is_active and not user.is_staff
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("lena", True)]


def test_admin_makes_an_admin(db, tmp_path):
    create(
        "lena", "--email", "lena@example.org", "--password-file", password_file(tmp_path), "--admin"
    )
    user = User.objects.get(username="lena")
    assert user.is_staff and user.is_superuser


def test_only_the_first_line_of_the_file_is_the_password(db, tmp_path):
    path = password_file(tmp_path, PASSPHRASE + "\r\nnot part of it\n")
    create("lena", "--email", "lena@example.org", "--password-file", path)
    assert authenticate(username="lena", password=PASSPHRASE) is not None


def test_a_file_others_may_read_works_with_a_note(db, tmp_path):
    path = password_file(tmp_path)
    Path(path).chmod(0o644)
    said = create("lena", "--email", "lena@example.org", "--password-file", path)
    assert "other users may read" in said and PASSPHRASE not in said


@pytest.mark.parametrize(
    ("name", "email", "password", "message"),
    [
        (
            "lena",
            "lena@example.org",
            "12345678\n",
            "--password-file {path}: This password is too common.",
        ),
        (
            "lena",
            "lena@example.org",
            "lena_example_org\n",
            "--password-file {path}: The password is too similar",
        ),
        (
            "lena",
            "lena@example.org",
            "\n",
            "--password-file {path}: the first line, the password, is empty.",
        ),
        ("lena", "not an address", PASSPHRASE, "--email: Enter a valid email address."),
        ("l!", "lena@example.org", PASSPHRASE, "NAME: Use 3 to 40 letters, digits or underscores"),
        ("admin", "lena@example.org", PASSPHRASE, "NAME: The user name 'admin' is reserved."),
        ("Alice", "lena@example.org", PASSPHRASE, "NAME: That user name is taken."),
        (
            "lena",
            "alice@example.org",
            PASSPHRASE,
            "--email: An account with that email address exists.",
        ),
    ],
)
def test_sign_up_s_refusals_name_the_input_and_make_nothing(
    alice, tmp_path, name, email, password, message
):
    path = password_file(tmp_path, password)
    with pytest.raises(CommandError) as refused:
        create(name, "--email", email, "--password-file", path)
    assert message.format(path=path) in str(refused.value)
    assert User.objects.count() == 1 and Pseud.objects.count() == 1


def test_a_missing_password_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"--password-file .*nowhere: No such file"):
        create("lena", "--email", "lena@example.org", "--password-file", str(tmp_path / "nowhere"))
    assert not User.objects.exists()


def test_a_banned_address_is_refused_as_at_sign_up(db, tmp_path):
    ban_address(holder(Role.SUPPORT), "banned.example", "a spam farm")
    with pytest.raises(CommandError, match=r"--email: The address spam@banned\.example may not"):
        create("lena", "--email", "spam@banned.example", "--password-file", password_file(tmp_path))


@pytest.mark.parametrize("make", ["create_user", "create_superuser"])
def test_every_account_has_its_default_pseud_however_it_is_made(db, make):
    user = getattr(User.objects, make)("kit", "kit@example.org", PASSPHRASE)
    assert user.default_pseud.name == "kit"
    user.save()  # saving again makes no second pseud
    assert user.pseuds.count() == 1


def test_createsuperuser_without_input_makes_a_pseud(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSPHRASE)
    call_command(
        "createsuperuser", "--noinput", "--username", "kit", "--email", "kit@example.org",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert User.objects.get(username="kit").default_pseud.name == "kit"
