"""Checking a published annual report (issue 7 item 5): read it back from text or HTML, in
the 2021 or the 2019 trial format, and list every inconsistency (LEGAL.md §4)."""

from casework.reports.check.model import Kind, ParsedReport, Problem, Unreadable
from casework.reports.check.reader import read_report
from casework.reports.check.rules import check

__all__ = ["Kind", "ParsedReport", "Problem", "Unreadable", "check", "read_report"]
