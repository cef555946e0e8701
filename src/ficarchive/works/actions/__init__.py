"""Every write to works, chapters, creators, credits and series goes through these verbs.

Each checks who may act (PermissionDenied), validates (ValidationError naming the field) and
writes in one transaction, so a failed edit leaves the archive as it was.
"""

from ficarchive.works.actions.archiving import (
    archive_work,
    check_author,
    claim_archived_works,
    orphan_archived_works,
    refuse_imports,
    remove_archived_works,
)
from ficarchive.works.actions.creators import (
    accept_cocreator_invite,
    decline_cocreator_invite,
    delete_works_of,
    invite_cocreator,
    orphan_works_of,
    remove_creator,
)
from ficarchive.works.actions.details import (
    MAX_BODY,
    MAX_NOTES,
    MAX_SUMMARY,
    MAX_TAGS_PER_TYPE,
    MAX_TITLE,
    ChapterDetails,
    CreditDetails,
    WorkDetails,
    rich_text,
    validate_chapter_details,
    validate_work_details,
)
from ficarchive.works.actions.holding import release_held_work
from ficarchive.works.actions.moderating import (
    hide_work,
    hide_works_of,
    set_work_tags,
    tag_names_of,
    unhide_work,
    unhide_works,
)
from ficarchive.works.actions.posting import (
    add_chapter,
    delete_chapter,
    delete_work,
    keep_original,
    post_chapter,
    post_draft_work,
    post_work,
    reorder_chapters,
    update_chapter,
    update_work,
)
from ficarchive.works.actions.scheduling import (
    cancel_release,
    post_due,
    schedule_chapter,
    schedule_work,
)
from ficarchive.works.actions.series import (
    add_work_to_series,
    create_series,
    remove_work_from_series,
    update_series,
)
from ficarchive.works.models import HELD_REASON

__all__ = [
    "HELD_REASON",
    "MAX_BODY",
    "MAX_NOTES",
    "MAX_SUMMARY",
    "MAX_TAGS_PER_TYPE",
    "MAX_TITLE",
    "ChapterDetails",
    "CreditDetails",
    "WorkDetails",
    "accept_cocreator_invite",
    "add_chapter",
    "add_work_to_series",
    "archive_work",
    "cancel_release",
    "check_author",
    "claim_archived_works",
    "create_series",
    "decline_cocreator_invite",
    "delete_chapter",
    "delete_work",
    "delete_works_of",
    "hide_work",
    "hide_works_of",
    "invite_cocreator",
    "keep_original",
    "orphan_archived_works",
    "orphan_works_of",
    "post_chapter",
    "post_draft_work",
    "post_due",
    "post_work",
    "refuse_imports",
    "release_held_work",
    "remove_archived_works",
    "remove_creator",
    "remove_work_from_series",
    "reorder_chapters",
    "rich_text",
    "schedule_chapter",
    "schedule_work",
    "set_work_tags",
    "tag_names_of",
    "unhide_work",
    "unhide_works",
    "update_chapter",
    "update_series",
    "update_work",
    "validate_chapter_details",
    "validate_work_details",
]
