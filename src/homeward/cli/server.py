"""``homeward serve --workers N``: N server processes on one address, run by gunicorn.

One waitress process runs Python on one core at most (the GIL); gunicorn's master binds the address once and
forks N processes that accept on the same socket, each with its own threads (the ``gthread`` worker class),
restarts one that dies, and stops them all on SIGTERM/SIGINT. Why gunicorn: docs/jobs.md ("Several server
processes").

The application is imported in the master before the fork (``preload``), so the processes share its memory
and start at once; no database connection is open at the fork (closed just before). The embedded job worker is
started by ``_serve`` in the master, before this, so there is one whatever N (``EmbeddedWorker.stop`` does
nothing in a forked process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    def __init__(self, application: Callable[..., Any], options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        return self.application


def options(host: str, port: int, *, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for ``homeward serve``."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 60,  # a process whose main loop stalls this long is replaced (requests run in its threads)
        "graceful_timeout": 10,  # on SIGTERM, requests under way get this long to finish
        "keepalive": 5,
        "proc_name": "homeward",
        "accesslog": None,  # every request is logged once, by homeward.middleware.RequestLogMiddleware
        "errorlog": "-",
        "loglevel": "warning",
        "control_socket_disable": True,  # no runtime control socket (one shared path per user otherwise)
    }


def run(application: Callable[..., Any], *, host: str, port: int, workers: int, threads: int) -> None:
    from django.db import connections

    connections.close_all()  # nothing the processes would share
    _Application(application, options(host, port, workers=workers, threads=threads)).run()
