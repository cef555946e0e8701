"""What the works app tells the social app once its writes are committed.

`works.actions` calls these through `transaction.on_commit`; each queues one background task
for the event, which fans out to the subscribers in chunks (see tasks.py). Nothing here sends
mail or writes per subscriber in the request.
"""

from __future__ import annotations

from ficarchive.social.models import InboxKind


def work_posted(work_id: int) -> None:
    """A work was posted: its creators' and its series' subscribers hear of it."""
    from ficarchive.social.tasks import fan_out

    fan_out.enqueue(InboxKind.WORK.value, work_id)


def chapter_posted(work_id: int, chapter_id: int) -> None:
    """A chapter of a posted work was posted: the work's subscribers hear of it."""
    from ficarchive.social.tasks import fan_out

    fan_out.enqueue(InboxKind.CHAPTER.value, work_id, chapter_id=chapter_id)


def work_added_to_series(work_id: int, series_id: int) -> None:
    """A posted work became a part of a series: the series' subscribers hear of it."""
    from ficarchive.social.tasks import fan_out

    fan_out.enqueue(InboxKind.PART.value, work_id, series_id=series_id)


def cocreator_invited(creatorship_id: int) -> None:
    """The invited pseud's account finds the invitation in its inbox."""
    from ficarchive.social.actions.inbox import notify
    from ficarchive.works.models import Creatorship

    invitation = (
        Creatorship.objects.filter(pk=creatorship_id, accepted=False)
        .select_related("pseud")
        .first()
    )
    if invitation is not None:
        notify(
            [invitation.pseud.user_id],
            InboxKind.INVITATION,
            work_id=invitation.work_id,
            actor_id=invitation.invited_by_id,
        )
