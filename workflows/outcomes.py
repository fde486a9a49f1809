"""Outcome codes and applicant kinds → rows and columns of table 三 (DESIGN §3.5).

The one place where each outcome code, its report row, its official label and its legal basis
are defined. The report, the UI and the notices all read this table.
"""

from dataclasses import dataclass
from enum import StrEnum

from workflows.states import State


class OutcomeGroup(StrEnum):
    DISCLOSED = "disclosed"
    PARTIALLY_DISCLOSED = "partially_disclosed"
    WITHHELD = "withheld"
    UNAVAILABLE = "unavailable"
    NOT_PROCESSED = "not_processed"
    OTHER = "other"


GROUP_LABELS: dict[OutcomeGroup, str] = {
    OutcomeGroup.DISCLOSED: "（一）予以公开",
    OutcomeGroup.PARTIALLY_DISCLOSED: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    OutcomeGroup.WITHHELD: "（三）不予公开",
    OutcomeGroup.UNAVAILABLE: "（四）无法提供",
    OutcomeGroup.NOT_PROCESSED: "（五）不予处理",
    OutcomeGroup.OTHER: "（六）其他处理",
}


@dataclass(frozen=True)
class Outcome:
    code: str
    group: OutcomeGroup
    item: int | None  # leaf number inside the group (1.…), None for (一) and (二)
    label: str  # official leaf label, e.g. "4.保护第三方合法权益"
    basis: str  # legal basis quoted in the reply by default
    by_reply: bool  # a clerk's reply may give it (others come from expiries or withdrawal)

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def state(self) -> State:
        """The state a reply with this outcome leads to (DESIGN §3.5)."""
        if self.group in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED):
            return State.DISCLOSED
        if self.group is OutcomeGroup.OTHER:
            return State.CLOSED
        return State.REFUSED

    @property
    def full_label(self) -> str:
        return self.group_label if self.item is None else f"{self.group_label} {self.label}"


_R = "《中华人民共和国政府信息公开条例》"


def _o(code: str, group: OutcomeGroup, item: int | None, label: str, basis: str) -> Outcome:
    return Outcome(code, group, item, label, f"{_R}{basis}", group is not OutcomeGroup.OTHER)


_G = OutcomeGroup
OUTCOMES: tuple[Outcome, ...] = (
    _o("disclosed", _G.DISCLOSED, None, "予以公开", "第三十六条第（一）项、第（二）项"),
    _o("partially_disclosed", _G.PARTIALLY_DISCLOSED, None, "部分公开", "第三十七条"),
    _o("withheld.state_secret", _G.WITHHELD, 1, "1.属于国家秘密", "第十四条"),
    _o("withheld.prohibited_by_law", _G.WITHHELD, 2, "2.其他法律行政法规禁止公开", "第十四条"),
    _o("withheld.security_stability", _G.WITHHELD, 3, "3.危及“三安全一稳定”", "第十四条"),
    _o(
        "withheld.third_party_rights",
        _G.WITHHELD,
        4,
        "4.保护第三方合法权益",
        "第十五条、第三十二条",
    ),
    _o("withheld.internal_affairs", _G.WITHHELD, 5, "5.属于三类内部事务信息", "第十六条第一款"),
    _o("withheld.deliberative", _G.WITHHELD, 6, "6.属于四类过程性信息", "第十六条第二款"),
    _o("withheld.enforcement_file", _G.WITHHELD, 7, "7.属于行政执法案卷", "第十六条第二款"),
    _o(
        "withheld.administrative_inquiry",
        _G.WITHHELD,
        8,
        "8.属于行政查询事项",
        "第三十六条第（七）项",
    ),
    _o(
        "unavailable.not_held",
        _G.UNAVAILABLE,
        1,
        "1.本机关不掌握相关政府信息",
        "第三十六条第（四）项、第（五）项",
    ),
    _o("unavailable.needs_creation", _G.UNAVAILABLE, 2, "2.没有现成信息需要另行制作", "第三十八条"),
    _o("unavailable.still_unclear", _G.UNAVAILABLE, 3, "3.补正后申请内容仍不明确", "第三十条"),
    _o(
        "not_processed.petition_complaint",
        _G.NOT_PROCESSED,
        1,
        "1.信访举报投诉类申请",
        "第三十九条第一款",
    ),
    _o("not_processed.duplicate", _G.NOT_PROCESSED, 2, "2.重复申请", "第三十六条第（六）项"),
    _o(
        "not_processed.publication", _G.NOT_PROCESSED, 3, "3.要求提供公开出版物", "第三十九条第二款"
    ),
    _o("not_processed.excessive", _G.NOT_PROCESSED, 4, "4.无正当理由大量反复申请", "第三十五条"),
    _o(
        "not_processed.confirm_or_reissue",
        _G.NOT_PROCESSED,
        5,
        "5.要求行政机关确认或重新出具已获取信息",
        "第三十六条",
    ),
    _o(
        "other.correction_not_submitted",
        _G.OTHER,
        1,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "第三十条",
    ),
    _o(
        "other.fee_not_paid",
        _G.OTHER,
        2,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "第四十二条；《政府信息公开信息处理费管理办法》",
    ),
    _o("other.other", _G.OTHER, 3, "3.其他", ""),
)
OUTCOME_BY_CODE: dict[str, Outcome] = {o.code: o for o in OUTCOMES}
REPLY_OUTCOMES: tuple[str, ...] = tuple(o.code for o in OUTCOMES if o.by_reply)
# Replies on the information itself, so that asking for it again is a repeat (Art. 36(6)):
# not a request still unclear after correction (the information was never identified), the
# not-processed replies, nor the closures without a reply.
ANSWERED_OUTCOMES: frozenset[str] = frozenset(
    o.code
    for o in OUTCOMES
    if o.group in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED, OutcomeGroup.WITHHELD)
) | {"unavailable.not_held", "unavailable.needs_creation"}

CORRECTION_NOT_SUBMITTED = "other.correction_not_submitted"
FEE_NOT_PAID = "other.fee_not_paid"
WITHDRAWN = "other.other"


def outcome(code: str) -> Outcome:
    try:
        return OUTCOME_BY_CODE[code]
    except KeyError:
        raise ValueError(f"未知的办理结果代码：{code}") from None


class ApplicantKind(StrEnum):
    """Columns of table 三, by the applicant's kind at registration."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise"
    RESEARCH_INSTITUTION = "research_institution"
    PUBLIC_INTEREST_ORG = "public_interest_org"
    LEGAL_SERVICE_ORG = "legal_service_org"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return APPLICANT_KIND_LABELS[self]


APPLICANT_KIND_LABELS: dict[ApplicantKind, str] = {
    ApplicantKind.NATURAL_PERSON: "自然人",
    ApplicantKind.COMMERCIAL_ENTERPRISE: "商业企业",
    ApplicantKind.RESEARCH_INSTITUTION: "科研机构",
    ApplicantKind.PUBLIC_INTEREST_ORG: "社会公益组织",
    ApplicantKind.LEGAL_SERVICE_ORG: "法律服务机构",
    ApplicantKind.OTHER_ORG: "其他",
}
