"""Benchmark: WorkingCalendar.add against a day-by-day count over chinese_calendar.is_workday.

Same inputs as the exhaustive test in tests/casework/workdays/test_workdays_calendar.py:
every start date from 2005-01-01 and N in {1, 7, 15, 20, 40} whose due date is on or
before 2026-12-31. Run from the repository root: ``python benchmarks/calendar.py``.
"""

import sys
from pathlib import Path

# This file is named calendar.py: drop its own folder from the import path so that the
# standard library's ``calendar`` is never shadowed, and import the repo's packages.
_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_ROOT))

import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import chinese_calendar  # noqa: E402

from casework.workdays import WorkingCalendar  # noqa: E402

FIRST = date(2005, 1, 1)
LAST = date(2026, 12, 31)
NS = (1, 7, 15, 20, 40)


def day_by_day(start: date, n: int) -> date | None:
    """The baseline: step one day at a time, asking chinese_calendar about each day."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day > LAST:
            return None
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


def main() -> int:
    # (b) the baseline first: it also decides which inputs are in range.
    inputs: list[tuple[date, int]] = []
    expected: list[date] = []
    began = time.perf_counter()
    start = FIRST
    while start < LAST:
        for n in NS:
            due = day_by_day(start, n)
            if due is None:
                break
            inputs.append((start, n))
            expected.append(due)
        start += timedelta(days=1)
    baseline = time.perf_counter() - began

    # (a) the calendar: construction (first, so it pays for the shared base data) + add.
    began = time.perf_counter()
    calendar = WorkingCalendar()
    built = time.perf_counter() - began
    began = time.perf_counter()
    got = [calendar.add(s, n) for s, n in inputs]
    fast = time.perf_counter() - began

    mismatches = [
        (s, n, g, e) for (s, n), g, e in zip(inputs, got, expected, strict=True) if g != e
    ]
    starts = len({s for s, _ in inputs})
    print(f"inputs: {len(inputs)} (start dates {starts}, N in {NS}, due <= {LAST})")
    print(f"(b) day-by-day over chinese_calendar.is_workday: {baseline:.3f} s")
    print(f"(a) WorkingCalendar.add:                          {fast:.3f} s")
    print(f"    WorkingCalendar() first construction:         {built * 1000:.1f} ms")
    print(f"ratio (b)/(a): {baseline / fast:.0f}x")
    print(f"ratio (b)/(a + construction): {baseline / (fast + built):.0f}x")
    if mismatches:
        print(f"DISAGREE on {len(mismatches)} inputs, e.g. {mismatches[:5]}")
        return 1
    print("agree on every input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
