"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from casework.models.agency import Agency, AgencyName
from casework.models.appeal import Appeal, AppealEvent
from casework.models.applicant import Applicant
from casework.models.attachment import Attachment, AttachmentWithdrawal
from casework.models.auth import AuthToken, LoginAttempt
from casework.models.calendar import CalendarAudit, CalendarOverride, CalendarYear
from casework.models.case import Case, CaseEvent
from casework.models.idempotency import IdempotencyKey
from casework.models.notice import Notice, NoticeCounter, NoticeTemplate
from casework.models.notification import Alert, Delivery, Notification
from casework.models.report import ReportFile, ReportPublication
from casework.models.statistics import CaseConclusion, ReportInput
from casework.models.supervision import Supervision
from casework.models.timer import Timer
from casework.models.user import User, UserRole

__all__ = [
    "Agency",
    "AgencyName",
    "Alert",
    "Appeal",
    "AppealEvent",
    "Applicant",
    "Attachment",
    "AttachmentWithdrawal",
    "AuthToken",
    "CalendarAudit",
    "CalendarOverride",
    "CalendarYear",
    "Case",
    "CaseConclusion",
    "CaseEvent",
    "Delivery",
    "IdempotencyKey",
    "LoginAttempt",
    "Notice",
    "NoticeCounter",
    "NoticeTemplate",
    "Notification",
    "ReportFile",
    "ReportInput",
    "ReportPublication",
    "Supervision",
    "Timer",
    "User",
    "UserRole",
]
