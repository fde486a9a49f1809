"""E-mail over a real SMTP server (aiosmtpd on 127.0.0.1) and webhooks to a real local HTTP
server: sent once, retried with backoff, failed after the last attempt, never sent twice."""

from __future__ import annotations

import email
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework import settings as settings_module
from casework.alerts import webhook
from casework.alerts.outgoing import Outgoing
from casework.db import unit_of_work
from casework.models import Delivery
from casework.services.delivery import INTERRUPTED, begin_send, deliver, deliver_due, queue_due
from casework.services.sweep import claim_due, fire_timer
from casework.settings import Settings
from casework.timeutil import utcnow
from tests.casework.services.alerting import at, live_reminders, people
from tests.casework.services.helpers import act, register
from tests.conftest import free_port

NOW = at("2026-11-26", 9, 5)


class Mailbox:
    def __init__(self, answer: str = "250 OK") -> None:
        self.answer = answer
        self.messages: list[email.message.EmailMessage] = []
        self.attempts = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.answer.startswith("250"):
            message = email.message_from_bytes(envelope.original_content, policy=policy.default)
            self.messages.append(message)  # type: ignore[arg-type]
        return self.answer


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Mailbox, Settings]]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("CASEWORK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEWORK_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("CASEWORK_MAIL_FROM", "casework@gov.example")
    monkeypatch.setenv("CASEWORK_DELIVERY_MAX_ATTEMPTS", "3")
    settings_module.get_settings.cache_clear()
    try:
        yield box, settings_module.get_settings()
    finally:
        controller.stop()
        settings_module.get_settings.cache_clear()


class Hook:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.status = 200
        self.reply: dict[str, Any] = {"ok": True}


@pytest.fixture
def hook_server() -> Iterator[tuple[Hook, str]]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            body = json.loads(self.rfile.read(length))
            hook.requests.append((self.path, dict(self.headers), body))
            data = json.dumps(hook.reply).encode()
            self.send_response(hook.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _remind(engine: Engine, webhook_base: str | None = None) -> None:
    """A registered case whose 5-days-ahead reminder is fired now."""
    with unit_of_work(engine) as s:
        people(s, webhook=webhook_base)
        case = register(s, "R1", "2026-10-29")
        act(s, case, "assign", "2026-10-29", handler="li")
    with Session(engine) as s:
        timer = next(
            t for t in live_reminders(s) if t.threshold == "before:5" and t.clock == "reply"
        )
        assert timer.id is not None
    now = at(timer.fire_on.isoformat(), 9, 1)
    with unit_of_work(engine) as s:
        assert timer.id in claim_due(s, now)
    with unit_of_work(engine) as s:
        assert fire_timer(s, timer.id, timer.fire_on).outcome == "fired"


def _deliveries(engine: Engine, channel: str) -> list[Delivery]:
    with Session(engine) as s:
        return list(s.exec(select(Delivery).where(Delivery.channel == channel)).all())


def test_an_email_arrives_once_with_the_deadline_and_its_derivation(
    engine: Engine, mailbox: tuple[Mailbox, Settings]
) -> None:
    box, settings = mailbox
    _remind(engine)
    (pending,) = _deliveries(engine, "email")
    assert pending.target == "li@example.org" and pending.status == "pending"
    assert deliver_due(engine, settings, NOW) == {"sent": 1}
    assert deliver_due(engine, settings, NOW + timedelta(hours=1)) == {}
    assert pending.id is not None
    assert deliver(engine, pending.id, settings, NOW) == "gone"  # a redelivered task
    (message,) = box.messages
    assert message["To"] == "li@example.org" and message["From"] == "casework@gov.example"
    assert str(message["Subject"]).startswith("【政府信息公开】R1 答复期限还剩5个工作日")
    text = message.get_content()
    assert "期限计算" in text and "第20个工作日" in text and "/cases/" in text
    assert str(message["Message-ID"]).startswith(f"<casework.delivery.{pending.id}.")
    (sent,) = _deliveries(engine, "email")
    assert sent.status == "sent" and sent.attempts == 1 and sent.sent_at is not None


def test_a_refusing_mail_server_is_retried_with_backoff_then_recorded_failed(
    engine: Engine, mailbox: tuple[Mailbox, Settings]
) -> None:
    box, settings = mailbox
    box.answer = "451 4.3.0 Mailbox temporarily unavailable"
    _remind(engine)
    assert deliver_due(engine, settings, NOW) == {"pending": 1}  # attempt 1 failed
    (first,) = _deliveries(engine, "email")
    assert first.attempts == 1 and "451" in (first.last_error or "")
    assert first.next_attempt_at == NOW + timedelta(seconds=settings.delivery_retry_seconds)
    assert deliver_due(engine, settings, NOW + timedelta(seconds=30)) == {}  # not yet
    second_at = first.next_attempt_at
    assert deliver_due(engine, settings, second_at) == {"pending": 1}
    (second,) = _deliveries(engine, "email")
    wait = second.next_attempt_at - second_at
    assert wait == timedelta(seconds=2 * settings.delivery_retry_seconds)  # doubled
    assert deliver_due(engine, settings, second.next_attempt_at) == {"failed": 1}
    (last,) = _deliveries(engine, "email")
    assert last.status == "failed" and last.attempts == 3 and box.attempts == 3
    assert deliver_due(engine, settings, NOW + timedelta(days=1)) == {}  # given up


def test_an_unreachable_mail_server_is_an_error_on_the_delivery(
    engine: Engine, mailbox: tuple[Mailbox, Settings]
) -> None:
    _box, settings = mailbox
    _remind(engine)
    closed = settings.model_copy(update={"smtp_port": free_port()})
    assert deliver_due(engine, closed, NOW) == {"pending": 1}
    (row,) = _deliveries(engine, "email")
    assert "ConnectionRefusedError" in (row.last_error or "")


def test_a_webhook_reaches_a_local_server_as_json(
    engine: Engine, hook_server: tuple[Hook, str]
) -> None:
    hook, base = hook_server
    _remind(engine, webhook_base=base)
    settings = Settings()
    assert deliver_due(engine, settings, NOW) == {"sent": 1}
    assert deliver_due(engine, settings, NOW + timedelta(hours=1)) == {}
    ((path, headers, body),) = hook.requests
    assert path == "/street"
    assert body["kind"] == "reminder" and body["subject"].startswith("【政府信息公开】R1")
    assert "期限计算" in body["body"] and body["link"].endswith(f"/cases/{body['case_id']}")
    assert headers["Idempotency-Key"].startswith("casework-")


def test_a_robot_answering_an_error_code_is_a_failed_attempt(
    engine: Engine, hook_server: tuple[Hook, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hook, base = hook_server
    hook.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    monkeypatch.setattr(webhook, "robot", lambda url: "wecom")  # the local server plays WeCom
    _remind(engine, webhook_base=base)
    assert deliver_due(engine, Settings(), NOW) == {"pending": 1}
    (row,) = _deliveries(engine, "webhook")
    assert "93000" in (row.last_error or "") and row.attempts == 1
    ((_path, _headers, body),) = hook.requests
    assert body["msgtype"] == "text" and "R1" in body["text"]["content"]


def test_robot_payloads_follow_each_platform() -> None:
    out = Outgoing(1, "webhook", "", "k", "reminder", "主题", "正文", None, None, None, NOW)

    def shaped(url: str) -> dict[str, Any]:
        return webhook.payload(Outgoing(**{**out.__dict__, "target": url}))

    wecom = shaped("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")
    assert wecom == {"msgtype": "text", "text": {"content": "主题\n\n正文"}}
    ding = shaped("https://oapi.dingtalk.com/robot/send?access_token=x")
    assert ding["msgtype"] == "text"
    feishu = shaped("https://open.feishu.cn/open-apis/bot/v2/hook/x")
    assert feishu == {"msg_type": "text", "content": {"text": "主题\n\n正文"}}
    assert shaped("https://example.org/hook")["subject"] == "主题"


def test_an_interrupted_send_is_failed_not_sent_again(
    engine: Engine, hook_server: tuple[Hook, str]
) -> None:
    _hook, base = hook_server
    _remind(engine, webhook_base=base)
    (row,) = _deliveries(engine, "webhook")
    assert row.id is not None
    start = utcnow()
    with unit_of_work(engine) as s:
        assert begin_send(s, row.id, NOW, wall=start) is not None  # the process died after this
    with unit_of_work(engine) as s:
        assert queue_due(s, NOW, wall=start + timedelta(minutes=5)) == []  # maybe still sending
    with unit_of_work(engine) as s:
        assert queue_due(s, NOW, wall=start + timedelta(minutes=11)) == []
    (failed,) = _deliveries(engine, "webhook")
    assert failed.status == "failed" and failed.last_error == INTERRUPTED
    assert deliver(engine, row.id, Settings(), NOW + timedelta(minutes=12)) == "gone"


def test_a_lost_queue_message_is_queued_again(
    engine: Engine, hook_server: tuple[Hook, str]
) -> None:
    hook, base = hook_server
    _remind(engine, webhook_base=base)
    start = utcnow()
    with unit_of_work(engine) as s:
        (queued,) = queue_due(s, NOW, wall=start)  # its task message is lost (e.g. FLUSHALL)
    with unit_of_work(engine) as s:
        assert queue_due(s, NOW, wall=start + timedelta(minutes=1)) == []
    with unit_of_work(engine) as s:
        assert queue_due(s, NOW, wall=start + timedelta(minutes=11)) == [queued]
    assert deliver(engine, queued, Settings(), NOW + timedelta(minutes=11)) == "sent"
    assert deliver(engine, queued, Settings(), NOW + timedelta(minutes=11)) == "gone"
    assert len(hook.requests) == 1
