"""A guest's network address as moderation keeps it (reports, spam checks): a keyed hash, the
same for the same address, never the address itself."""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def address_key(address: str) -> str:
    """The keyed hash of ADDRESS ("" for none), enough to group and limit a guest's posts."""
    if not address:
        return ""
    return salted_hmac("ficarchive.moderation.guests", address, algorithm="sha256").hexdigest()
