"""The Django admin does not ban or give roles behind the moderation actions: those write the
audit log, end a banned account's sessions and tokens, and are undoable; the admin would not."""

from __future__ import annotations

from ficarchive.accounts.models import User
from tests.conftest import logged_in


def test_the_admins_user_form_shows_standing_and_roles_without_changing_them(
    ada: User, bob: User
) -> None:
    page = logged_in(ada).get(f"/admin/accounts/user/{bob.pk}/change/").content.decode()
    assert "bob" in page
    for name in ("is_active", "is_superuser", "groups", "user_permissions"):
        assert f'name="{name}"' not in page, name
