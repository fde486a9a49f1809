"""The working-day calendar (DESIGN.md §3.2): official data, provisional rule, overrides."""

from casework.workdays.calendar import (
    CalendarRangeError,
    DayInfo,
    Deadline,
    Override,
    WorkingCalendar,
    default_calendar,
    format_day,
)
from casework.workdays.official import (
    OFFICIAL_DAYS_OFF,
    OFFICIAL_MAKEUP_DAYS,
    OFFICIAL_YEARS,
    OfficialDay,
    is_official_year,
    official_day,
)
from casework.workdays.provisional import (
    PROVISIONAL_YEARS,
    STATUTORY_HOLIDAYS,
    provisional_days_off,
)

__all__ = [
    "OFFICIAL_DAYS_OFF",
    "OFFICIAL_MAKEUP_DAYS",
    "OFFICIAL_YEARS",
    "PROVISIONAL_YEARS",
    "STATUTORY_HOLIDAYS",
    "CalendarRangeError",
    "DayInfo",
    "Deadline",
    "OfficialDay",
    "Override",
    "WorkingCalendar",
    "default_calendar",
    "format_day",
    "is_official_year",
    "official_day",
    "provisional_days_off",
]
