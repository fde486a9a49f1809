"""People and places for the alert tests: a district office (政务公开办) with a street office
under it, a clerk and an approver in the street office, an approver and an admin above."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, col, select

from casework.models import Alert, Notification, Timer, User
from casework.services.directory import add_user, agency_by_code, ensure_agency, grant
from casework.timeutil import china_instant
from workflows.roles import Role


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return china_instant(date.fromisoformat(day), time(hour, minute))


def people(session: Session, *, webhook: str | None = None) -> None:
    district = ensure_agency(session, "qu", "某区政务公开办")
    district.supervises_subtree = True
    district.webhook_url = webhook and webhook + "/district"
    street = ensure_agency(session, "zhz", "某街道办事处", parent="qu")
    street.webhook_url = webhook and webhook + "/street"
    session.add_all([district, street])
    for name, display, code, role in [
        ("li", "李经办", "zhz", Role.CLERK),
        ("wang", "王负责", "zhz", Role.APPROVER),
        ("zhao", "赵主任", "qu", Role.APPROVER),
        ("admin", "管理员", "qu", Role.ADMIN),
    ]:
        user = add_user(session, name, display, email=f"{name}@example.org")
        grant(session, user, agency_by_code(session, code), role)
    session.flush()


def inbox_of(session: Session, username: str) -> list[Alert]:
    user = session.exec(select(User).where(User.username == username)).one()
    return list(
        session.exec(
            select(Alert)
            .join(Notification, col(Notification.alert_id) == col(Alert.id))
            .where(Notification.user_id == user.id)
            .order_by(col(Alert.id))
        ).all()
    )


def live_reminders(session: Session) -> list[Timer]:
    return list(
        session.exec(
            select(Timer)
            .where(Timer.kind == "reminder", col(Timer.status).in_(["pending", "claimed"]))
            .order_by(col(Timer.fire_at), col(Timer.id))
        ).all()
    )
