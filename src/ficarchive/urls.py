from django.contrib import admin
from django.urls import include, path

from ficarchive.text.views import remote_image
from ficarchive.works.views import reading

urlpatterns = [
    path("", reading.home, name="home"),
    path("", include("ficarchive.accounts.urls")),
    path("", include("ficarchive.works.urls")),
    path("", include("ficarchive.tags.urls")),
    path("", include("ficarchive.social.urls")),
    path("", include("ficarchive.exporting.urls")),
    path("", include("ficarchive.search.urls")),
    path("", include("ficarchive.importing.urls")),
    path("", include("ficarchive.api.urls")),
    path("", include("ficarchive.moderation.urls")),
    path("", include("ficarchive.collections.urls")),
    path("", include("ficarchive.web.urls")),
    path("images/remote", remote_image, name="remote_image"),
    path("admin/", admin.site.urls),
]

# A database that is busy or in maintenance answers 503 (see unavailable.py), anything else 500.
handler500 = "ficarchive.unavailable.server_error"
