"""Bodies of the attachment routes (the listing is `casework.services.attachments.as_json`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from casework.attachments.kinds import AttachmentKind

KindName = Literal["request_scan", "provided_information", "service_evidence", "opinion", "other"]
assert set(KindName.__args__) == {k.value for k in AttachmentKind}  # type: ignore[attr-defined]


class AttachmentOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    kind: KindName
    kind_label: str
    filename: str = Field(description="上传时的文件名（已清理）；政务公开办看到的是类别和编号")
    media_type: str = Field(description="按文件内容识别的类型")
    size: int = Field(description="字节数")
    sha256: str = Field(description="内容的 SHA-256，下载时作为 ETag")
    scan: Literal["clean", "not_scanned", "unchecked"] = Field(
        description="clean 已查毒；not_scanned 未配置查毒程序；unchecked 查毒程序出错、按设置保存"
    )
    scan_label: str
    note: str | None
    event_seq: int | None = Field(description="对应的办理记录序号（如送达）")
    uploaded_by: str
    uploaded_at: datetime
    withdrawn: bool = Field(description="已撤回的附件仍保留记录和文件")
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawal_reason: str | None


class WithdrawIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "上传错误，应为另一案件的材料"}]}
    )
    reason: str = Field(min_length=1, max_length=2000, description="撤回理由")
