"""Log filters that keep the log to what someone reading it needs (settings.LOGGING).

- `RefusalsInOneLine`: a request refused with 403 (`PermissionDenied`, and so the suspended
  account's `AccountSuspended`) or 400 (`BadRequest`) is an answer the archive meant to give,
  not a fault: Django logs it with the exception's traceback; here it becomes one line,
  "Forbidden (Permission denied): /works/1/kudos: Creators cannot ...", with the reason.
- `OneLinePerTask`: the task worker logs each task when it starts and again when it ends; the
  start says nothing the end does not, so only the end is kept ("Task id=... path=...
  state=SUCCESSFUL"; a failure keeps its traceback). `db_worker -v 2` (debug) keeps both.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied

REFUSALS = (PermissionDenied, BadRequest)
TASK_LINE = "Task id=%s path=%s state=%s"
TASKS_LOGGER = "django_tasks"


class RefusalsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and isinstance(exc_info[1], REFUSALS):
            reason = str(exc_info[1])
            if reason:
                record.msg = f"{record.msg}: {reason.replace('%', '%%')}"
            record.exc_info = None
            record.exc_text = None
        return True


class OneLinePerTask(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        started = (
            record.name == TASKS_LOGGER
            and record.msg == TASK_LINE
            and isinstance(record.args, tuple)
            and len(record.args) == 3
            and str(record.args[2]) == "RUNNING"
        )
        if not started:
            return True
        return logging.getLogger(TASKS_LOGGER).getEffectiveLevel() <= logging.DEBUG
