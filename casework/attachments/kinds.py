"""What an attached file is to the case (its kind), with the labels clerks see."""

from __future__ import annotations

from enum import StrEnum

from casework.choices import parse_choice


class AttachmentKind(StrEnum):
    REQUEST_SCAN = "request_scan"
    PROVIDED_INFORMATION = "provided_information"
    SERVICE_EVIDENCE = "service_evidence"
    OPINION = "opinion"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def short_label(self) -> str:
        """The label without its parenthesised examples: 送达凭证."""
        return self.label.split("（")[0]


KIND_LABELS: dict[AttachmentKind, str] = {
    AttachmentKind.REQUEST_SCAN: "申请材料扫描件",
    AttachmentKind.PROVIDED_INFORMATION: "提供的政府信息",
    AttachmentKind.SERVICE_EVIDENCE: "送达凭证（送达回证、邮寄凭证等）",
    AttachmentKind.OPINION: "第三方意见",
    AttachmentKind.OTHER: "其他材料",
}


def parse_kind(value: str) -> AttachmentKind:
    return parse_choice(AttachmentKind, value, "附件类别")
