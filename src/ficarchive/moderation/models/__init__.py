"""The moderation app's tables, one module per concern, all re-exported here."""

from ficarchive.moderation.models.audit import AuditEntry
from ficarchive.moderation.models.cases import Case, CaseState, Reason, Report, Target
from ficarchive.moderation.models.invitations import BannedAddress, Invitation, InvitationRequest
from ficarchive.moderation.models.roles import Role
from ficarchive.moderation.models.sanctions import Sanction, SanctionKind
from ficarchive.moderation.models.spam import SpamCheck, SpamState
from ficarchive.moderation.models.switches import SignupMode, SiteSwitches

__all__ = [
    "AuditEntry",
    "BannedAddress",
    "Case",
    "CaseState",
    "Invitation",
    "InvitationRequest",
    "Reason",
    "Report",
    "Role",
    "Sanction",
    "SanctionKind",
    "SignupMode",
    "SiteSwitches",
    "SpamCheck",
    "SpamState",
    "Target",
]
