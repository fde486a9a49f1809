"""The ledger's columns: the field each feeds, the header the export writes, the other headers
the default mapping recognises, and how a cell is read.

The order is the export's column order. Field keys are stable (mapping files name them); the
headers are what agencies write in their ledgers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"  # working days
    AMOUNT = "amount"  # yuan
    CHOICE = "choice"  # a word from the field's vocabulary (`casework.ledger.vocabulary`)
    LIST = "list"  # several items in one cell, separated by ；or line breaks


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # written by the export; recognised first
    aliases: tuple[str, ...]  # also recognised, in order of preference
    kind: Kind = Kind.TEXT
    width: int = 14  # export column width (characters)
    required: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


def _c(
    key: str,
    header: str,
    aliases: str = "",
    kind: Kind = Kind.TEXT,
    width: int = 14,
    required: bool = False,
) -> Column:
    return Column(key, header, tuple(aliases.split()), kind, width, required)


_D, _I, _A, _C, _L = Kind.DATE, Kind.INT, Kind.AMOUNT, Kind.CHOICE, Kind.LIST

COLUMNS: tuple[Column, ...] = (
    _c(
        "ref",
        "编号",
        "案件编号 申请编号 受理编号 登记编号 案号 流水号 序号",
        required=True,
        width=12,
    ),
    _c(
        "received_on",
        "收到申请日期",
        "收到申请之日 申请日期 登记日期 收到日期 受理日期 收件日期 申请时间 收到申请时间",
        _D,
        required=True,
    ),
    _c("channel", "申请方式", "申请渠道 渠道 提交方式 申请途径", _C, required=True, width=10),
    _c(
        "applicant.name",
        "申请人",
        "申请人姓名或名称 申请人姓名 申请人名称 姓名或名称 单位名称 姓名",
        required=True,
    ),
    _c(
        "applicant.kind",
        "申请人类型",
        "申请人类别 申请主体类型 申请人性质 申请主体",
        _C,
        required=True,
        width=12,
    ),
    _c(
        "applicant.id_number",
        "证件号码",
        "身份证件号码 身份证号码 身份证号 证件号 统一社会信用代码",
        width=20,
    ),
    _c("applicant.phone", "联系电话", "电话 联系方式 手机号码 手机", width=14),
    _c("applicant.address", "通讯地址", "联系地址 地址 邮寄地址", width=24),
    _c("applicant.email", "电子邮箱", "邮箱 电子邮件", width=20),
    _c(
        "request",
        "申请内容",
        "申请公开内容 申请公开的政府信息 申请信息内容 所需信息内容 所需政府信息 申请事项",
        required=True,
        width=40,
    ),
    _c("delivery", "获取信息方式", "获取方式 信息获取方式 提供形式 载体形式", _C, width=12),
    _c("correction.on", "补正告知日期", "告知补正日期 补正通知日期 补正告知时间", _D),
    _c("correction.period_wd", "补正期限（工作日）", "补正期限 补正期限天数", _I, width=10),
    _c("correction.items", "补正事项", "补正内容 需补正事项 补正要求", _L, width=30),
    _c("correction.served_on", "补正告知送达日期", "补正送达日期 补正告知书送达日期", _D),
    _c(
        "correction.received_on",
        "收到补正日期",
        "收到补正材料日期 补正材料收到日期 补正收到日期 补正完成日期",
        _D,
    ),
    _c("consultation.on", "征求意见日期", "征求第三方意见日期 征求意见时间 征求意见书发出日期", _D),
    _c(
        "consultation.parties",
        "征求意见对象",
        "被征求意见方 征求意见单位 第三方 第三方名称",
        _L,
        width=20,
    ),
    _c(
        "consultation.served_on",
        "征求意见书送达日期",
        "第三方收到日期 征求意见送达日期",
        _D,
    ),
    _c(
        "opinion.on",
        "收到意见日期",
        "收到第三方意见日期 第三方答复日期 意见反馈日期 反馈日期",
        _D,
    ),
    _c("opinion.opinion", "第三方意见", "征求意见结果 第三方意见情况 反馈意见", _L, width=16),
    _c("extension.on", "延期日期", "延期答复日期 延期告知日期 延长答复日期", _D),
    _c("extension.days_wd", "延期天数（工作日）", "延期天数 延长天数 延期期限", _I, width=10),
    _c("extension.reason", "延期理由", "延期原因 延长理由", width=20),
    _c("extension.approver", "延期批准人", "批准人 延期审批人 审批人", width=10),
    _c("fee.on", "收费通知日期", "收费通知发出日期 收费日期", _D),
    _c("fee.amount", "收费金额（元）", "收费金额 信息处理费 信息处理费金额 费用金额", _A, width=10),
    _c("fee.basis", "计收方式", "收费方式 计费方式", _C, width=10),
    _c("fee.served_on", "收费通知送达日期", "收费通知收到日期", _D),
    _c("fee.paid_on", "缴费日期", "缴纳日期 缴费时间 收到缴费日期", _D),
    _c("reply.on", "答复日期", "答复时间 办结日期 办结时间 办理完成日期", _D),
    _c(
        "reply.outcome",
        "答复结果",
        "办理结果 答复类型 答复情况 处理结果 办理情况",
        _C,
        width=24,
    ),
    _c("reply.basis", "法律依据", "答复依据 依据 法律法规依据", width=30),
    _c("deliver.on", "送达日期", "答复送达日期 送达时间", _D),
    _c("deliver.method", "送达方式", "答复送达方式", _C, width=10),
    _c("notes", "备注", "说明", width=30),
)
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
NOT_IMPORTED = frozenset({"notes"})  # read and shown, never written to a case

PUNCTUATION = re.compile(r"[\s\u3000:：,，、;；.。·•\-—–_/\\|\"'“”‘’*#()（）\[\]【】<>《》]+")
_BRACKETED = re.compile(r"[（(【\[<《][^）)】\]>》]*[）)】\]>》]")


def header_forms(text: str) -> tuple[str, ...]:
    """The forms a header is compared in: as written (without spaces, line breaks and
    punctuation), then without a bracketed unit ("收费金额（元）" → "收费金额")."""
    full = PUNCTUATION.sub("", text)
    stem = PUNCTUATION.sub("", _BRACKETED.sub("", text))
    return (full, stem) if stem and stem != full else (full,)


def _known_headers() -> dict[str, tuple[Column, int]]:
    known: dict[str, tuple[Column, int]] = {}
    for column in COLUMNS:
        for rank, header in enumerate(column.headers):
            for form in header_forms(header):
                known.setdefault(form, (column, rank))
    return known


KNOWN_HEADERS = _known_headers()


def recognise(header: str) -> tuple[Column, int] | None:
    """The column a header names by default, with the header's rank among its names (0: the
    export's own header), or None."""
    for form in header_forms(header):
        found = KNOWN_HEADERS.get(form)
        if found is not None:
            return found
    return None


def column_for(target: str) -> Column | None:
    """A mapping file's target: a field key ("reply.on") or a column's header ("答复日期")."""
    if target in COLUMN_BY_KEY:
        return COLUMN_BY_KEY[target]
    found = recognise(target)
    return found[0] if found else None
