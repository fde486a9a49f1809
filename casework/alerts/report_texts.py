"""What the annual-report alerts say (Simplified Chinese): the draft is ready, the due day is
coming, the report is late. Links open the report page of the agency and year."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from casework.alerts.ledger import Message
from casework.alerts.texts import PREFIX
from casework.models import Agency
from casework.settings import get_settings
from casework.statistics.figures import Report
from casework.timeutil import CHINA
from casework.workdays.calendar import format_day


def report_link(agency: Agency, year: int) -> str:
    base = get_settings().public_url.rstrip("/")
    return f"{base}/reports/{year}?agency={quote(agency.code, safe='')}"


def _title(agency: Agency, year: int) -> str:
    return f"{agency.name}{year}年政府信息公开工作年度报告"


def _summary(figures: Report) -> str:
    t = figures.requests
    return (
        f"新收政府信息公开申请{t.new[-1]}件，上年结转{t.carried_in[-1]}件，"
        f"办结{t.concluded_total[-1]}件，结转下年度继续办理{t.carried_out[-1]}件"
    )


def drafted(
    agency: Agency,
    figures: Report,
    due: date,
    left_wd: int,
    open_items: int,
    no_clerk: bool = False,
) -> Message:
    year = figures.year
    headline = f"{_title(agency, year)}草稿已生成，请于 {due.isoformat()} 前发布"
    lines = [
        f"{_title(agency, year)}的草稿已按截至 {_stamp(figures.as_of)} 的数据生成。",
        "",
        f"统计（第三部分）：{_summary(figures)}。",
        f"文字部分（一、五、六）已生成初稿，其中{open_items}处标有“【请填写：…】”，需要补充。",
        "请核对各表数据，补充文字，经负责人审核后发布。",
        f"发布截止：{format_day(due)}（还有{left_wd}个工作日）",
    ]
    if no_clerk:
        lines.insert(1, "本机关尚无经办人，本提醒发送负责人或管理员，请指定经办人。")
    lines += ["", f"办理：{report_link(agency, year)}"]
    return Message(
        "report_draft", f"{PREFIX}{headline}", "\n".join(lines), report_link(agency, year)
    )


def due_soon(
    agency: Agency, year: int, day: date, due: date, left_wd: int, open_items: int
) -> Message:
    if day == due:
        when = f"今日（{due.isoformat()}）为发布截止日"
    elif left_wd == 0:
        when = f"今日为发布截止日（{due.isoformat()}）前的最后一个工作日"
    else:
        when = f"距发布截止日（{due.isoformat()}）还有{left_wd}个工作日"
    headline = f"{_title(agency, year)}尚未发布，{when}"
    lines = [
        f"{headline}。",
        "",
        f"发布截止：{format_day(due)}",
        _open_line(open_items),
        "",
        f"办理：{report_link(agency, year)}",
    ]
    return Message("report_due", f"{PREFIX}{headline}", "\n".join(lines), report_link(agency, year))


def overdue(
    agency: Agency,
    year: int,
    due: date,
    overdue_wd: int,
    open_items: int,
    has_district_office: bool,
) -> Message:
    headline = f"{_title(agency, year)}已过发布截止日（{due.isoformat()}），尚未发布"
    lines = [
        f"{headline}，已逾期{overdue_wd}个工作日。",
        "本提醒同时发送负责人" + ("及政务公开办" if has_district_office else "") + "。",
        "",
        f"发布截止：{format_day(due)}（条例第四十九条）",
        _open_line(open_items),
        "",
        f"办理：{report_link(agency, year)}",
    ]
    return Message(
        "report_overdue", f"{PREFIX}{headline}", "\n".join(lines), report_link(agency, year)
    )


def _open_line(open_items: int) -> str:
    if open_items:
        return f"文字部分尚有{open_items}处“【请填写：…】”未填写。"
    return "文字部分已填写，请核对后经负责人审核发布。"


def _stamp(instant: datetime) -> str:
    return instant.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
