"""The Celery app (DESIGN §4): JSON, late acks, prefetch 1; tasks take ids.

With `CASEWORK_BROKER_URL` unset, the broker is kombu's filesystem transport in the data folder
(one machine, no extra server); with `redis://…`, Redis. The timer rows in the database are the
truth: a message lost in a crash is harmless because stale claims are retaken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery

from casework.settings import get_settings
from workers.broker import TRANSPORT as FILESYSTEM_TRANSPORT

# A host name only so kombu does not warn "No hostname was supplied" on every connection.
EMBEDDED_URL = "filesystem://localhost//"


def broker_options() -> tuple[str, dict[str, Any]]:
    settings = get_settings()
    url = settings.broker_url
    if url:
        options: dict[str, Any] = {}
        timeout = settings.broker_visibility_timeout
        if timeout is not None:  # Redis: unacknowledged tasks come back after `timeout` s,
            options["visibility_timeout"] = timeout  # looked for every min(timeout, 60) s
            options["unacked_restore_interval"] = max(1, min(timeout, 60))
            options["unacked_restore_throttle"] = 1  # (kombu: 10 × 10 s)
        return url, options
    folder = Path(settings.data_dir) / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    queue = str(folder / "queue")
    # the filesystem transport needs data_folder_in and data_folder_out to be the same folder
    return EMBEDDED_URL, {
        "data_folder_in": queue,
        "data_folder_out": queue,
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # else kombu writes it into the cwd
        "store_processed": False,
    }


def make_app() -> Celery:
    url, transport = broker_options()
    app = Celery("casework", broker=url, include=["workers.tasks"])
    app.conf.update(
        broker_transport_options=transport,
        # the filesystem transport with an atomic put (kombu's own can hand out a half-written file)
        broker_transport=FILESYSTEM_TRANSPORT if url == EMBEDDED_URL else None,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        timezone="Asia/Shanghai",
        beat_schedule={
            "sweep": {"task": "casework.sweep", "schedule": get_settings().sweep_seconds},
            # the overdue digests and the calendar check: due once a day, checked often so a
            # worker started after the reminder hour still sends today's (the ledger keeps one)
            "daily": {"task": "casework.daily", "schedule": get_settings().daily_jobs_seconds},
        },
    )
    return app


app = make_app()
