"""E-mail over SMTP (standard library). The Message-ID is derived from the delivery, so a mail
server or client can recognise the same message should it ever arrive twice."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from casework.alerts.outgoing import Outgoing
from casework.settings import Settings


def send_email(settings: Settings, out: Outgoing) -> None:
    assert settings.smtp_host is not None
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = out.target
    message["Subject"] = out.subject  # encoded as UTF-8 (RFC 2047) by the policy
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<casework.delivery.{out.delivery_id}.{out.key_digest}@casework>"
    message.set_content(out.body, charset="utf-8")
    timeout = settings.delivery_timeout_seconds
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
