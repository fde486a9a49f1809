"""Legal dates are China-time `date`s; instants are aware UTC datetimes (DESIGN §2.5)."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def china_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()


def start_of_china_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)


def china_instant(day: date, at: time) -> datetime:
    """A China-time wall-clock moment, in UTC."""
    return datetime.combine(day, at, tzinfo=CHINA).astimezone(UTC)


def end_of_china_day(day: date) -> datetime:
    """The last instant of a China-time day, in UTC."""
    return datetime.combine(day, time.max, tzinfo=CHINA).astimezone(UTC)


Today = Callable[[], date]
