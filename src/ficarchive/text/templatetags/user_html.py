"""`{{ chapter.body|user_html }}`: stored user HTML as a page shows it (a built-in filter)."""

from __future__ import annotations

from django import template

from ficarchive.text.images import user_html as _user_html

register = template.Library()
register.filter("user_html", _user_html)
