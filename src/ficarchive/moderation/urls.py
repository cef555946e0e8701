from django.urls import path

from ficarchive.moderation.views import audit as audit_views
from ficarchive.moderation.views import roles as roles_views
from ficarchive.moderation.views import sanctions as sanctions_views
from ficarchive.moderation.views import switches as switches_views

app_name = "moderation"
urlpatterns = [
    path("moderation/switches", switches_views.site_switches, name="switches"),
    path("moderation/roles", roles_views.roles_page, name="roles"),
    path("moderation/roles/<slug:key>", roles_views.role_page, name="role"),
    path("moderation/roles/<slug:key>/remove", roles_views.remove_member, name="remove_member"),
    path("moderation/audit", audit_views.audit_log, name="audit"),
    path("moderation/audit/<int:entry_id>/undo", audit_views.undo_entry, name="undo"),
    path("moderation/users/<str:username>", sanctions_views.user_page, name="user"),
    path(
        "moderation/users/<str:username>/<slug:name>", sanctions_views.sanction, name="sanction"
    ),
    path("warnings", sanctions_views.warnings, name="warnings"),
    path("warnings/<int:sanction_id>/read", sanctions_views.acknowledge, name="acknowledge"),
]
