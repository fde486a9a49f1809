"""Webhooks: a JSON POST. Group-robot URLs of WeCom (企业微信), DingTalk (钉钉) and Feishu/Lark
(飞书) get the text message their APIs expect; any other URL gets the whole alert as JSON.
The robots answer HTTP 200 with an error code in the body, so the body is checked too."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from casework.alerts.outgoing import Outgoing
from casework.settings import Settings


class WebhookRejected(Exception):
    pass


def robot(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    if host == "qyapi.weixin.qq.com":
        return "wecom"
    if host == "oapi.dingtalk.com":
        return "dingtalk"
    if host in ("open.feishu.cn", "open.larksuite.com"):
        return "feishu"
    return None


def payload(out: Outgoing) -> dict[str, Any]:
    text = f"{out.subject}\n\n{out.body}"
    kind = robot(out.target)
    if kind in ("wecom", "dingtalk"):
        return {"msgtype": "text", "text": {"content": text}}
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {
        "id": out.key,
        "kind": out.kind,
        "subject": out.subject,
        "body": out.body,
        "link": out.link,
        "case_id": out.case_id,
        "agency_id": out.agency_id,
        "created_at": out.created_at.isoformat(),
    }


def post_webhook(settings: Settings, out: Outgoing) -> None:
    headers = {"Idempotency-Key": f"casework-{out.delivery_id}-{out.key_digest}"}
    response = httpx.post(
        out.target,
        json=payload(out),
        headers=headers,
        timeout=settings.delivery_timeout_seconds,
    )
    if response.status_code >= 300:
        raise WebhookRejected(f"HTTP {response.status_code}: {response.text[:200]}")
    if robot(out.target) is not None:
        try:
            answer = response.json()
        except ValueError:
            return
        code = answer.get("errcode", answer.get("code", 0)) if isinstance(answer, dict) else 0
        if code not in (0, None):
            message = answer.get("errmsg") or answer.get("msg") or ""
            raise WebhookRejected(f"机器人返回错误 {code}：{message}")
