"""When an agency's annual report is due (条例第四十九条): a day of the following year, "MM-DD".

Departments publish by 31 January (the default setting); a 县级以上 government's own report is
due by 31 March, which an administrator sets on that agency (`Agency.report_due`)."""

from __future__ import annotations

import re
from datetime import date, datetime

from casework.errors import Invalid
from casework.timeutil import end_of_china_day

MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def parse_month_day(value: str, field: str = "report_due") -> tuple[int, int]:
    """ "03-31" → (3, 31). A day every year has: 02-29 is refused (it would not exist most
    years, and a due day must)."""
    found = MONTH_DAY.fullmatch(value.strip())
    if found is not None:
        month, day = int(found.group(1)), int(found.group(2))
        try:
            date(2023, month, day)  # a common year
        except ValueError:
            pass
        else:
            return month, day
    raise Invalid(f"报告截止日“{value}”无效：须为每年都有的“月-日”，如 01-31、03-31", field=field)


def due_day(report_due: str | None, default: str, year: int) -> date:
    """The day the report of `year` is due: the agency's own "MM-DD", else the default."""
    month, day = parse_month_day(report_due or default)
    return date(year + 1, month, day)


def due_instant(day: date) -> datetime:
    """Published "by the due day": at or before the end of that day, China time."""
    return end_of_china_day(day)
