from django.urls import path

from ficarchive.moderation.views import audit as audit_views
from ficarchive.moderation.views import content as content_views
from ficarchive.moderation.views import invitations as invitations_views
from ficarchive.moderation.views import queue as queue_views
from ficarchive.moderation.views import reports as reports_views
from ficarchive.moderation.views import roles as roles_views
from ficarchive.moderation.views import sanctions as sanctions_views
from ficarchive.moderation.views import spam as spam_views
from ficarchive.moderation.views import switches as switches_views

app_name = "moderation"
urlpatterns = [
    path("moderation/switches", switches_views.site_switches, name="switches"),
    path("invitations/request", invitations_views.request_invitation, name="invitation_request"),
    path("invitations/mine", invitations_views.my_invitations, name="my_invitations"),
    path(
        "invitations/mine/<int:invitation_id>/share",
        invitations_views.share,
        name="share_invitation",
    ),
    path("moderation/invitations", invitations_views.manage, name="invitations"),
    path("moderation/invitations/send", invitations_views.send_now, name="send_invitations"),
    path("moderation/invitations/give", invitations_views.give, name="give_invitations"),
    path("moderation/invitations/bans", invitations_views.ban, name="ban_address"),
    path(
        "moderation/invitations/bans/<int:ban_id>/remove",
        invitations_views.unban,
        name="unban_address",
    ),
    path("moderation/spam", spam_views.spam_queue, name="spam"),
    path("moderation/spam/<int:check_id>/<slug:decision>", spam_views.decide, name="spam_decide"),
    path("report/sent", reports_views.report_sent, name="report_sent"),
    path("report/<slug:kind>/<int:target_id>", reports_views.report, name="report"),
    path("moderation", queue_views.queue, name="queue"),
    path("moderation/cases/<int:case_id>", queue_views.case, name="case"),
    path("moderation/cases/<int:case_id>/assign", queue_views.assign, name="case_assign"),
    path("moderation/cases/<int:case_id>/resolve", queue_views.resolve, name="case_resolve"),
    path("moderation/cases/<int:case_id>/dismiss", queue_views.dismiss, name="case_dismiss"),
    path("moderation/roles", roles_views.roles_page, name="roles"),
    path("moderation/roles/<slug:key>", roles_views.role_page, name="role"),
    path("moderation/roles/<slug:key>/remove", roles_views.remove_member, name="remove_member"),
    path("moderation/audit", audit_views.audit_log, name="audit"),
    path("moderation/audit/<int:entry_id>/undo", audit_views.undo_entry, name="undo"),
    path("moderation/users/<str:username>", sanctions_views.user_page, name="user"),
    path("moderation/users/<str:username>/<slug:name>", sanctions_views.sanction, name="sanction"),
    path("warnings", sanctions_views.warnings, name="warnings"),
    path("warnings/<int:sanction_id>/read", sanctions_views.acknowledge, name="acknowledge"),
    path(
        "moderation/works/<int:work_id>/<slug:name>", content_views.work_action, name="work_action"
    ),
    path(
        "moderation/comments/<int:comment_id>/<slug:name>",
        content_views.comment_action,
        name="comment_action",
    ),
    path(
        "moderation/bookmarks/<int:bookmark_id>/<slug:name>",
        content_views.bookmark_action,
        name="bookmark_action",
    ),
]
