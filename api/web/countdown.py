"""The working-day countdown badge of a due date (issue 8): overdue red, ≤ 2 working days
orange, ≤ 5 yellow; a date in a year whose holiday notice is not loaded is marked provisional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework.workdays.calendar import WorkingCalendar


@dataclass(frozen=True)
class Countdown:
    due_on: date
    working_days_left: int  # negative: working days overdue; 0: due today
    provisional: bool

    @property
    def tone(self) -> str:
        """The badge's CSS class."""
        if self.working_days_left < 0:
            return "overdue"
        if self.working_days_left <= 2:
            return "due-soon"
        if self.working_days_left <= 5:
            return "due-week"
        return ""

    @property
    def text(self) -> str:
        if self.working_days_left < 0:
            return f"逾期 {-self.working_days_left} 个工作日"
        if self.working_days_left == 0:
            return "今日到期"
        return f"剩 {self.working_days_left} 个工作日"


def countdown(calendar: WorkingCalendar, today: date, due_on: date, provisional: bool) -> Countdown:
    if due_on >= today:
        left = calendar.count_between(today, due_on)
    else:  # the days after the due day that have passed, today included if it is a working day
        left = -calendar.count_between(due_on, today)
        if left == 0:  # due on a Friday, seen on Saturday: late, though no working day passed
            left = -1
    return Countdown(due_on, left, provisional or calendar.is_provisional(due_on))
