"""The image proxy: a remote image in user HTML, fetched once by the archive and kept."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ficarchive.text.images import PROXY, remote_images_mode, unsigned_url
from ficarchive.text.remote_fetch import FetchRefused, fetch_image

KEEP_SECONDS = 24 * 3600
KEEP_REFUSED_SECONDS = 10 * 60  # a refused image is not asked for again meanwhile
logger = logging.getLogger(__name__)


@require_GET
def remote_image(request: HttpRequest) -> HttpResponse:
    """`/images/remote?url=…` (signed by `images.proxied_url`): the image, or a 404."""
    url = unsigned_url(request.GET.get("url", ""))
    if remote_images_mode() != PROXY or url is None:
        raise Http404("No such image.")
    key = "remote-image:" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    kept = cache.get(key)
    if kept is None:
        try:
            image = fetch_image(url)
        except FetchRefused as refused:
            logger.info("remote image refused: %s", refused)
            kept = ("", b"")
            cache.set(key, kept, KEEP_REFUSED_SECONDS)
        else:
            kept = (image.media_type, image.content)
            cache.set(key, kept, KEEP_SECONDS)
    media_type, content = kept
    if not media_type:
        return HttpResponse(
            "This image could not be fetched.", status=404, content_type="text/plain"
        )
    response = HttpResponse(content, content_type=media_type)
    response["Cache-Control"] = f"public, max-age={KEEP_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
