"""Structured logs: one ``key=value`` line per event, with the request id (or job) it belongs to.

Every line carries ``time level logger`` and the context set by :func:`context` (the request id, the
user's id and party, the job and attempt), then the message, itself written as ``event=… key=value``.
What goes in: identifiers, codes, counts, durations. What never goes in: names, dates of birth, places,
free text, query strings (``tests/test_logs.py`` checks this end to end).

    from homeward import logs
    with logs.context(job="run_match", attempt=2):
        log.info("event=run_done run=%d candidates=%d", run.pk, n)
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar("homeward_log_context", default=_EMPTY)
_SAFE = re.compile(r"^[A-Za-z0-9_.:/@+-]*$")


@contextlib.contextmanager
def context(**values: Any) -> Iterator[None]:
    """Add ``values`` to every log line written inside the block (this thread or task only)."""
    token = _context.set({**_context.get(), **{k: v for k, v in values.items() if v not in (None, "")}})
    try:
        yield
    finally:
        _context.reset(token)


def current() -> dict[str, Any]:
    return dict(_context.get())


def quote(value: Any) -> str:
    """A value as it appears after ``key=``: bare when simple, else in double quotes."""
    text = str(value)
    if _SAFE.match(text) and text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# Django's own loggers that put the request path (which a client may fill with anything) in their message.
_PATH_LOGGERS = ("django.request", "django.security", "django.server")


def _message(record: logging.LogRecord) -> str:
    """The record's message; for Django's request loggers only the status, since the path is the client's."""
    if record.name.startswith(_PATH_LOGGERS):
        status = getattr(record, "status_code", None)
        kind = record.name.replace("django.", "django_").replace(".", "_")
        return f"event={kind} status={status if status is not None else '-'}"
    return record.getMessage()


class KeyValueFormatter(logging.Formatter):
    """``time=… level=… logger=… request_id=… <message>`` (and the traceback, indented, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        ctx = getattr(record, "log_context", None)
        if ctx is None:
            ctx = _context.get()
        parts = [f"time={when[:-4]}Z", f"level={record.levelname.lower()}", f"logger={record.name}"]
        parts += [f"{k}={quote(v)}" for k, v in ctx.items()]
        message = _message(record)
        parts.append(message if "=" in message.split(" ", 1)[0] else f"msg={quote(message)}")
        line = " ".join(parts)
        if record.exc_info:
            # The exception's type and where it happened; its message is left out, since it may echo input.
            exc_type = record.exc_info[0]
            line += f" exc={exc_type.__name__ if exc_type else 'Exception'}"
            trace = self.formatException(record.exc_info)
            frames = [ln for ln in trace.splitlines() if ln.startswith("  File ")]
            line += "".join(f"\n    {ln.strip()}" for ln in frames[-8:])
        return line


class ContextFilter(logging.Filter):
    """Attach the current context to the record when it is made (a handler may format it later)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "log_context"):
            record.log_context = _context.get()
        return True
