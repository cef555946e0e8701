"""The WSGI application that `ficarchive serve` hands to the HTTP server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
application = get_wsgi_application()
