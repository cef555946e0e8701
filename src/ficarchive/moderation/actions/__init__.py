"""Moderation writes, one module per concern; each checks who asks, validates, and writes in
one transaction with its audit entry. Import from the module (`actions.reports.report`)."""

from ficarchive.moderation.actions.switches import change_switches, may_change_switches

__all__ = ["change_switches", "may_change_switches"]
