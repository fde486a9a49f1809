"""Payload schema per action (DESIGN §5 field names). Validation errors surface in Chinese."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workflows.clocks import EXTENSION_MAX_WD
from workflows.fees import MAX_ITEMS, MAX_PAGES
from workflows.outcomes import OUTCOME_BY_CODE, REPLY_OUTCOMES, ApplicantKind
from workflows.validation import CONTROL_MESSAGE, control_at

PAYLOAD_SCHEMA_VERSION = 1

Channel = Literal["in_person", "post", "online", "fax"]
CHANNEL_LABELS: dict[str, str] = {
    "in_person": "当面提交",
    "post": "邮寄",
    "online": "互联网",
    "fax": "传真",
}


class Payload(BaseModel):
    # blank text is no text: "  " fails min_length like ""
    # no text field is longer than a long letter (a 20 MB "request" was accepted once)
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, str_max_length=20_000
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = control_at(data)
        if where is not None:
            raise ValueError(f"{where}：{CONTROL_MESSAGE}")
        return data


class Empty(Payload):
    pass


class ApplicantData(Payload):
    kind: ApplicantKind
    name: str = Field(min_length=1, max_length=200)
    id_number: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=500)


class Register(Payload):
    agency: str = Field(min_length=1)
    ref: str | None = Field(default=None, min_length=1, max_length=64)
    applicant: ApplicantData
    channel: Channel
    # Art. 31 raw dates: in person → submitted; post → signed for (or confirmed with the
    # applicant for an unsigned ordinary letter); online or fax → both sides confirm.
    submitted_on: date | None = None
    signed_on: date | None = None
    confirmed_on: date | None = None
    received_on: date | None = None
    request: str = Field(min_length=1)
    delivery: Literal["paper", "electronic", "pickup"] | None = None
    # 责令重新答复: the id of the appeal whose decision ordered this reply anew; the case is
    # received on the day the agency receives that decision
    follow_up_of: int | None = Field(strict=True, default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _receipt_date(self) -> Self:
        derived = receipt_date(self.channel, self.submitted_on, self.signed_on, self.confirmed_on)
        if self.received_on is None and derived is None:
            raise ValueError(f"缺少收到申请之日：{CHANNEL_LABELS[self.channel]}渠道需提供相应日期")
        if self.received_on is not None and derived is not None and derived != self.received_on:
            raise ValueError(
                f"收到申请之日 {self.received_on} 与{CHANNEL_LABELS[self.channel]}渠道的"
                f"法定日期 {derived} 不一致（条例第三十一条）"
            )
        return self

    @property
    def receipt(self) -> date:
        derived = receipt_date(self.channel, self.submitted_on, self.signed_on, self.confirmed_on)
        result = derived or self.received_on
        assert result is not None
        return result


def receipt_date(
    channel: str, submitted_on: date | None, signed_on: date | None, confirmed_on: date | None
) -> date | None:
    """Art. 31: the date the request counts as received, from the channel's raw dates."""
    if channel == "in_person":
        return submitted_on
    if channel == "post":
        return signed_on or confirmed_on
    return confirmed_on


class Assign(Payload):
    handler: str = Field(min_length=1)


class RequestCorrection(Payload):
    period_wd: int | None = Field(
        strict=True, default=None, ge=1, le=60
    )  # None: the agency's default
    items: tuple[str, ...] = ()
    served_on: date | None = None


class ExtendCorrectionPeriod(Payload):
    due_on: date | None = None
    days_wd: int | None = Field(strict=True, default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.due_on is None) == (self.days_wd is None):
            raise ValueError(
                "须且只能提供 due_on（新的补正截止日）或 days_wd（延长的工作日数）之一"
            )
        return self


class Posted(Payload):
    posted_on: date | None = None


class ConsultedParty(Payload):
    name: str = Field(min_length=1)
    received_on: date | None = None


class StartConsultation(Payload):
    party: str | None = None
    party_received_on: date | None = None
    parties: tuple[ConsultedParty, ...] = ()

    @field_validator("parties", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.party is None) == (not self.parties):
            raise ValueError("须且只能提供 party 或 parties 之一")
        if self.party_received_on is not None and self.party is None:
            raise ValueError("party_received_on 只能与 party 一起使用")
        names = [p.name for p in self.all_parties]
        if len(set(names)) != len(names):
            raise ValueError("被征求意见的第三方名称重复")
        return self

    @property
    def all_parties(self) -> tuple[ConsultedParty, ...]:
        if self.party is not None:
            return (ConsultedParty(name=self.party, received_on=self.party_received_on),)
        return self.parties


class ReceiveOpinion(Payload):
    opinion: Literal["consent", "objection", "none"]
    party: str | None = None


FEN = Decimal("0.01")


class IssueFeeNotice(Payload):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2, allow_inf_nan=False)  # 元
    basis: Literal["per_item", "per_volume"]
    applicant_received_on: date | None = None
    # what the fee is for, so the amount is checked against the standard (国办函〔2020〕109号):
    # per volume the pages provided, per item how many items this request counts as
    pages: int | None = Field(strict=True, default=None, ge=1, le=MAX_PAGES)
    items: int | None = Field(strict=True, default=None, ge=1, le=MAX_ITEMS)

    @field_validator("amount", mode="before")
    @classmethod
    def _plain_amount(cls, value: Any) -> Any:
        # "1e3" is a Decimal, but no clerk writes a fee so, and it would be stored as "1E+3"
        if isinstance(value, str) and any(c in value for c in "eE"):
            raise ValueError("金额须写成普通数字（如 100 或 100.50），不能用科学计数法")
        return value

    @field_validator("amount")
    @classmethod
    def _to_the_fen(cls, value: Decimal) -> Decimal:
        """One form for one amount: 12.5 and 12.500 are stored as "12.50" (元, to the fen)."""
        return value.quantize(FEN)

    @model_validator(mode="after")
    def _one_basis(self) -> Self:
        if self.basis == "per_item" and self.pages is not None:
            raise ValueError("按件计收不按页数计算：pages 只用于按量计收（per_volume）")
        if self.basis == "per_volume" and self.items is not None:
            raise ValueError("按量计收不按件数计算：items 只用于按件计收（per_item）")
        return self


class Extend(Payload):
    days_wd: int = Field(strict=True, ge=1, le=EXTENSION_MAX_WD)
    reason: str = Field(min_length=1)


class RequestReasons(Payload):
    period_wd: int | None = Field(strict=True, default=None, ge=1, le=60)


class SetReasonableDeadline(Payload):
    due_on: date
    reason: str | None = None


class RecordService(Payload):
    notice: Literal["correction", "opinion", "fee"]
    served_on: date
    party: str | None = None


class ReplyPayload(Payload):
    outcome: str
    basis: str | None = None
    form: str | None = None  # form of provision (纸质/电子/自行领取…)

    @field_validator("outcome")
    @classmethod
    def _reply_outcome(cls, value: str) -> str:
        if value not in REPLY_OUTCOMES:
            raise ValueError(f"答复不能使用办理结果代码 {value}；可用：{', '.join(REPLY_OUTCOMES)}")
        return value


class RejectDraft(Payload):
    reason: str = Field(min_length=1)


class VoidExpiry(Payload):
    posted_on: date
    reason: str | None = None


class Withdraw(Payload):
    posted_on: date | None = None
    reason: str | None = None


class Deliver(Payload):
    method: Literal["in_person", "post", "electronic"]


class AmendOutcome(Payload):
    outcome: str
    reason: str = Field(min_length=1)

    @field_validator("outcome")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in OUTCOME_BY_CODE:
            raise ValueError(f"未知的办理结果代码：{value}")
        return value


class Void(Payload):
    reason: str = Field(min_length=1)
    merged_into: str | None = None
