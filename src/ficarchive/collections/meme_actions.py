"""Every write to a prompt meme: its settings, prompts, claims and fills."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.collections import revealing
from ficarchive.collections.matching import TAG_TYPES
from ficarchive.collections.meme_models import Claim, Fill, Prompt, PromptMeme
from ficarchive.collections.models import Approval, Collection, CollectionItem, Role
from ficarchive.works.models import Work

MAX_PROMPT_TEXT = 5_000
MAX_TAGS_PER_TYPE = 10


@transaction.atomic
def configure_meme(
    user: User, collection: Collection, *, is_open: bool, allow_anonymous: bool
) -> PromptMeme:
    """Make COLLECTION a prompt meme, or open, close or change it (owners)."""
    require_good_standing(user)
    collection.require_role(user, Role.OWNER)
    meme, _created = PromptMeme.objects.update_or_create(
        collection=collection,
        defaults={"is_open": is_open, "allow_anonymous": allow_anonymous},
    )
    return meme


@transaction.atomic
def post_prompt(
    user: User,
    meme: PromptMeme,
    tags: dict[str, list[str]],
    text: str,
    *,
    anonymous: bool = False,
) -> Prompt:
    """A prompt: at least a fandom or some text; anonymous where the meme allows it."""
    require_good_standing(user)
    if not meme.is_open:
        raise ValidationError(_("This prompt meme takes no new prompts."))
    if anonymous and not meme.allow_anonymous:
        raise ValidationError({"anonymous": [_("This prompt meme takes no anonymous prompts.")]})
    cleaned = {kind: [n.strip() for n in tags.get(kind, []) if n.strip()] for kind in TAG_TYPES}
    errors: dict[str, list[str]] = {}
    for kind, names in cleaned.items():
        if len(names) > MAX_TAGS_PER_TYPE:
            errors[kind] = [_("At most %(most)s tags.") % {"most": MAX_TAGS_PER_TYPE}]
    text = text.strip()
    if len(text) > MAX_PROMPT_TEXT:
        errors["text"] = [_("At most %(most)s characters.") % {"most": f"{MAX_PROMPT_TEXT:,}"}]
    if not cleaned["fandoms"] and not text:
        errors["fandoms"] = [_("Name a fandom or write the prompt.")]
    if errors:
        raise ValidationError(errors)
    return Prompt.objects.create(meme=meme, user=user, is_anonymous=anonymous, text=text, **cleaned)


@transaction.atomic
def delete_prompt(user: User, prompt: Prompt) -> None:
    """Its prompter or the collection's keepers take a prompt down (its fills stay works)."""
    if prompt.user_id != user.pk and not prompt.meme.collection.is_kept_by(user):
        raise PermissionDenied(_("Only its prompter or the collection's keepers may."))
    prompt.delete()


@transaction.atomic
def claim(user: User, prompt: Prompt) -> Claim:
    require_good_standing(user)
    found, _created = Claim.objects.get_or_create(prompt=prompt, user=user)
    return found


@transaction.atomic
def unclaim(user: User, prompt: Prompt) -> None:
    Claim.objects.filter(prompt=prompt, user=user).delete()


@transaction.atomic
def fill(user: User, prompt: Prompt, work: Work) -> Fill:
    """WORK (USER's) fills PROMPT: claimed for USER if it was not, put in the collection
    (waiting for a moderator where the collection is moderated), and its prompter told (once
    the work can be seen)."""
    from ficarchive.social.actions.inbox import notify_works
    from ficarchive.social.models import InboxKind

    require_good_standing(user)
    if not work.is_editable_by(user):
        raise PermissionDenied(_("Only the work's creators may fill a prompt with it."))
    Claim.objects.get_or_create(prompt=prompt, user=user)
    collection = prompt.meme.collection
    waits = collection.is_moderated and not collection.is_kept_by(user)
    CollectionItem.objects.get_or_create(
        collection=collection,
        work=work,
        defaults={
            "added_by": user,
            "moderator_status": Approval.PENDING if waits else Approval.APPROVED,
        },
    )
    revealing.refresh_works([work.pk])
    found, created = Fill.objects.get_or_create(prompt=prompt, work=work)
    work.refresh_from_db(fields=["in_unrevealed_collection", "is_draft"])
    seen = not work.in_unrevealed_collection and not work.is_draft
    if created and seen and prompt.user_id != user.pk:
        notify_works([(prompt.user_id, work.pk, "")], InboxKind.FILL)
    return found
