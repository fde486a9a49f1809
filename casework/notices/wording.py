"""Legal wording that depends on a case's facts: the finding per outcome code (条例 Arts.
14–16, 30, 35–39) and the remedy (行政复议法 2023 Arts. 20, 23, in force from 2024-01-01;
行政诉讼法 Art. 46).

The words chosen here are written into each notice's stored context when it is issued, so a
later change of wording never changes an issued notice. The fixed text of each notice is in
its template (`templates/`), where an agency can edit it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from workflows.outcomes import (
    CORRECTION_NOT_SUBMITTED,
    FEE_NOT_PAID,
    OUTCOME_BY_CODE,
    OUTCOMES,
    WITHDRAWN,
    OutcomeGroup,
)

REGULATIONS = "《中华人民共和国政府信息公开条例》"

# What the agency found, per outcome: one sentence (the basis is printed after it)
_G = OutcomeGroup
# (keyed by the outcome's row of table 三, so that no outcome code is spelled out twice)
_FINDINGS_BY_ROW: dict[tuple[OutcomeGroup, int | None], str] = {
    (_G.DISCLOSED, None): "经审查，您申请获取的政府信息属于公开范围，本机关予以公开",
    (
        _G.PARTIALLY_DISCLOSED,
        None,
    ): "经审查，您申请获取的政府信息中，部分内容属于公开范围，部分内容属于不予公开的范围，"
    "本机关对可以公开的部分予以提供，对不予公开的部分不予公开",
    (_G.WITHHELD, 1): "经审查，您申请获取的政府信息属于国家秘密，本机关不予公开",
    (
        _G.WITHHELD,
        2,
    ): "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关不予公开",
    (
        _G.WITHHELD,
        3,
    ): "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，"
    "本机关不予公开",
    (
        _G.WITHHELD,
        4,
    ): "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
    "本机关不予公开",
    (
        _G.WITHHELD,
        5,
    ): "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息，"
    "本机关不予公开",
    (
        _G.WITHHELD,
        6,
    ): "经审查，您申请获取的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
    "磋商信函、请示报告等过程性信息，本机关不予公开",
    (_G.WITHHELD, 7): "经审查，您申请获取的政府信息属于行政执法案卷信息，本机关不予公开",
    (_G.WITHHELD, 8): "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对"
    "信息的获取有特别规定，请您依照有关法律、行政法规的规定办理",
    (_G.UNAVAILABLE, 1): "经检索查找，本机关未制作或者获取您申请公开的政府信息，该政府信息不存在",
    (
        _G.UNAVAILABLE,
        2,
    ): "经审查，本机关不掌握您申请的现成信息，该信息需要本机关对现有政府信息进行加工、分析方能形成，"
    "本机关不予提供",
    (
        _G.UNAVAILABLE,
        3,
    ): "经审查，您的申请经补正后，申请内容仍不明确，本机关无法确定您所申请获取的政府信息",
    (
        _G.NOT_PROCESSED,
        1,
    ): "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息"
    "公开申请处理，您可以通过信访、投诉、举报等相应渠道提出",
    (
        _G.NOT_PROCESSED,
        2,
    ): "经审查，您向本机关重复申请公开相同的政府信息，本机关已就该政府信息作出答复，不予重复处理",
    (
        _G.NOT_PROCESSED,
        3,
    ): "经审查，您申请获取的是公开出版物，本机关不作为政府信息公开申请处理，您可以通过公开出版物的"
    "发行渠道获取",
    (
        _G.NOT_PROCESSED,
        4,
    ): "经审查，您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，所说明的理由"
    "不合理，本机关不予处理",
    (_G.NOT_PROCESSED, 5): "经审查，您的申请系要求本机关确认或者重新出具已获取的信息，不属于"
    "政府信息公开申请的范围，本机关不予处理",
}
FINDINGS: dict[str, str] = {
    o.code: _FINDINGS_BY_ROW[(o.group, o.item)]
    for o in OUTCOMES
    if (o.group, o.item) in _FINDINGS_BY_ROW
}
THIRD_PARTY_RIGHTS = next(o.code for o in OUTCOMES if (o.group, o.item) == (_G.WITHHELD, 4))
# Art. 15 lets an agency withhold without consulting; the objection is named only when a
# consulted party recorded one (Art. 32)
THIRD_PARTY_OBJECTED = (
    "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，"
    "经书面征求第三方意见，第三方不同意公开，本机关不予公开"
)

TERMINATIONS: dict[str, str] = {
    CORRECTION_NOT_SUBMITTED: "您无正当理由逾期未补正，根据{regs}第三十条的规定，视为放弃申请，"
    "本机关不再处理您的该政府信息公开申请",
    FEE_NOT_PAID: "您逾期未按收费通知的要求缴纳信息处理费，根据《政府信息公开信息处理费管理办法》的规定，"
    "视为放弃申请，本机关不再处理您的该政府信息公开申请",
    WITHDRAWN: "您已撤回该政府信息公开申请，本机关终止处理",
}

FEE_STANDARD = {
    "per_item": "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分："
    "100元/件；31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件"
    "（《政府信息公开信息处理费管理办法》第四条）",
    "per_volume": "30页以下（含30页）的，不收费；31—100页（含100页）的部分：10元/页；101—200页（含200页）的部分："
    "20元/页；201页以上的部分：40元/页（《政府信息公开信息处理费管理办法》第五条）",
}

DEFAULT_REVIEW_BODY = "有管辖权的行政复议机关"
REVIEW_FIRST_FROM = date(2024, 1, 1)  # 行政复议法 (2023 revision) in force


def review_first(outcome: str | None, decided_on: date) -> bool:
    """行政复议法 (2023) Art. 23(1)(4): a refusal to disclose is reviewed before any suit; a
    partial disclosure refuses the rest (LEGAL.md §1.3). A decision before that law took
    effect offers review (60 days) or suit (6 months), as the 1999 law did."""
    if decided_on < REVIEW_FIRST_FROM:
        return False
    if outcome is None or outcome not in OUTCOME_BY_CODE:
        return False
    return OUTCOME_BY_CODE[outcome].group in (
        OutcomeGroup.WITHHELD,
        OutcomeGroup.PARTIALLY_DISCLOSED,
    )


def finding(outcome: str, *, third_party_objected: bool = False) -> str:
    if outcome == THIRD_PARTY_RIGHTS and third_party_objected:
        return THIRD_PARTY_OBJECTED
    return FINDINGS[outcome]


def termination(outcome: str) -> str:
    return TERMINATIONS[outcome].format(regs=REGULATIONS)


def basis_text(outcome: str, given: str | None) -> str:
    """The legal basis quoted: the clerk's own, else the outcome's default article."""
    if given:
        return given
    return OUTCOME_BY_CODE[outcome].basis or REGULATIONS


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_money(amount: object) -> str:
    """ "120" → "120.00元", to the fen; an older event may hold "12.5" or "1E+3"."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return f"{amount}元"  # not a number: printed as stored, not lost
    return f"{value:f}元" if value.is_finite() else f"{amount}元"
