"""The clocks a case can have (DESIGN §3.3) and the effects an action has on them.

The arithmetic lives in `casework.clocks`; this module only names things, so the action table
can say declaratively what each action does to each clock.
"""

from enum import StrEnum


class Clock(StrEnum):
    REPLY = "reply"  # Art. 33: 20 WD, one extension ≤ 20 WD
    CORRECTION_NOTICE = "correction_notice"  # Art. 30: notice within 7 WD of receipt
    CORRECTION = "correction"  # the applicant's correction period
    OPINION = "opinion"  # Art. 32/34: 15 WD per consulted party
    PAYMENT = "payment"  # 国办函〔2020〕109号: 20 WD from receipt of the fee notice
    REASONS = "reasons"  # Art. 35: period for the applicant's reasons
    APPEAL_ANSWER = "appeal_answer"  # answer to a review application or a complaint

    @property
    def label(self) -> str:
        return CLOCK_LABELS[self]


CLOCK_LABELS: dict[Clock, str] = {
    Clock.REPLY: "答复期限",
    Clock.CORRECTION_NOTICE: "补正告知期限",
    Clock.CORRECTION: "申请人补正期限",
    Clock.OPINION: "第三方意见期限",
    Clock.PAYMENT: "缴费期限",
    Clock.REASONS: "说明理由期限",
    Clock.APPEAL_ANSWER: "复议/诉讼答复期限",
}

REPLY_DAYS_WD = 20  # Art. 33
EXTENSION_MAX_WD = 20  # Art. 33
CORRECTION_NOTICE_DAYS_WD = 7  # Art. 30
OPINION_DAYS_WD = 15  # Art. 32, 34
PAYMENT_DAYS_WD = 20  # 国办函〔2020〕109号


class Effect(StrEnum):
    START = "start"
    RESTART = "restart"  # a fresh period from the action's date (Art. 30)
    PAUSE = "pause"  # the clock stops counting on the action's date
    RESUME = "resume"  # counting resumes the day after the action's date
    EXTEND = "extend"
    SET = "set"  # a fixed due date decided by an approver (Art. 35)
    SERVE = "serve"  # the real service date of a notice is learned
    STOP = "stop"  # the clock ends (met, expired or moot)
    RESTORE = "restore"  # an expiry is voided: the period counts as met
