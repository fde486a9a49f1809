"""Files attached to a case (issue 6). Both tables are append-only (database triggers refuse
UPDATE and DELETE, as for the event log): an attachment is evidence, so removing one is a
withdrawal row with its reason, and the record and the bytes stay."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=32)  # casework.attachments.kinds.AttachmentKind
    filename: str = Field(max_length=255)  # as sent, made safe (casework.attachments.names)
    media_type: str = Field(max_length=128)  # from the content, not the name
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64, index=True)  # where the bytes are in the store
    scan: str = Field(max_length=16)  # casework.attachments.scan.ScanStatus
    note: str | None = Field(default=None, max_length=2000)
    event_seq: int | None = None  # the case event the file belongs to (e.g. a deliver)
    uploaded_by: str = Field(max_length=100)
    uploaded_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AttachmentWithdrawal(SQLModel, table=True):
    __tablename__ = "attachment_withdrawal"

    id: int | None = Field(default=None, primary_key=True)
    attachment_id: int = Field(foreign_key="attachment.id", unique=True)
    reason: str = Field(max_length=2000)
    withdrawn_by: str = Field(max_length=100)
    withdrawn_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    withdrawn_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
