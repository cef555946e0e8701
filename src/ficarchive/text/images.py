"""Remote images in what users write: shown, shown on a click, or fetched through the archive.

An `<img>` whose address is on another host makes every reader's browser ask that host for it,
telling it the reader's address. `FICARCHIVE_REMOTE_IMAGES` (`settings.REMOTE_IMAGES`) decides
what pages and HTML downloads do with such an image:

- `click` (the default): it becomes a link, "Show image (from host)", that opens the image;
  nothing is fetched until the reader asks. It works without JavaScript.
- `proxy`: its address becomes the archive's own `/images/remote?url=…`, which fetches it once
  (`text.remote_fetch`: images only, a size limit, a timeout, no private addresses) and
  serves it from the cache; the host sees only the archive.
- `show`: it stays as written.

Stored text is never changed: the choice applies when the text is shown, so an admin can change
it at any time. EPUB files never load remote images, whatever the setting.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

SHOW = "show"
CLICK = "click"
PROXY = "proxy"
MODES = (SHOW, CLICK, PROXY)

# The sanitizer writes every attribute value in double quotes, with <, > and " escaped.
_IMG = re.compile(r"<img\b((?:\s+[^\s\"'>/=]+(?:=\"[^\"]*\")?)*)\s*/?>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:=\"([^\"]*)\")?")
_SIGNER_SALT = "ficarchive.text.images"
_BROWSER_IGNORED = re.compile("[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SCHEME_SLASHES = re.compile(r"^(https?):/*", re.IGNORECASE)


def remote_images_mode() -> str:
    return str(getattr(settings, "REMOTE_IMAGES", CLICK))


def _own_host() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "").lower()


def remote_url(src: str) -> str:
    """The address a browser fetches for the image address SRC (escaped, as stored) when it is
    on another host, else "". Read as browsers read it: tabs and line breaks left out,
    backslashes as slashes, `//host/…` and `https:host/…` as addresses on `host`."""
    url = _BROWSER_IGNORED.sub("", html.unescape(src)).strip(_C0_AND_SPACE).replace("\\", "/")
    scheme = _SCHEME.match(url)
    if scheme is None:
        if not url.startswith("//"):
            return ""  # a path on this archive
        url = f"https:{url}"
    elif scheme.group(1).lower() not in {"http", "https"}:
        return ""  # nothing a browser would fetch (the sanitizer keeps only http and https)
    url = _SCHEME_SLASHES.sub(lambda found: f"{found.group(1).lower()}://", url, count=1)
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # no host a browser could reach either; still not ours
        host = ""
    return "" if host and host == _own_host() else url


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or "an unknown host"
    except ValueError:
        return "an unknown host"


def proxied_url(src: str) -> str:
    """The archive's address that serves the image at SRC (signed: no open proxy)."""
    signed = signing.Signer(salt=_SIGNER_SALT).sign(src)
    return f"{reverse('remote_image')}?{urlencode({'url': signed})}"


def unsigned_url(value: str) -> str | None:
    """The image address a proxied URL's `url` holds, or None when it was not made here."""
    try:
        return signing.Signer(salt=_SIGNER_SALT).unsign(value)
    except signing.BadSignature:
        return None


def guard_images(markup: str, mode: str | None = None) -> str:
    """Sanitized HTML with its remote images treated as MODE (default: the setting) says."""
    mode = mode or remote_images_mode()
    if mode == SHOW or "<img" not in markup.lower():
        return markup
    return _IMG.sub(lambda match: _guarded(match, mode), markup)


def _guarded(match: re.Match[str], mode: str) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))  # values stay escaped as they came
    url = remote_url(attributes.get("src", ""))
    if not url:
        return match.group(0)
    if mode == PROXY:
        attributes["src"] = html.escape(proxied_url(url))
        attributes.setdefault("alt", "")
        shown = "".join(f' {name}="{value}"' for name, value in attributes.items())
        return f"<img{shown}>"
    alt = " ".join(attributes.get("alt", "").split())
    label = f"Show image: {alt}" if alt else "Show image"
    return (
        f'<a class="remote-image" href="{html.escape(url)}" rel="nofollow noopener noreferrer">'
        f"{label} (from {html.escape(host_of(url))})</a>"
    )


def user_html(markup: str) -> SafeString:
    """Stored (sanitized) HTML ready for a page: remote images as the setting says."""
    return mark_safe(guard_images(markup or ""))  # sanitized when it was saved
