"""Who may act (DESIGN §1): user roles per agency and the kinds of actor."""

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    APPROVER = "approver"
    ADMIN = "admin"
    AUDITOR = "auditor"
    # changes the national working-day calendar (the State Council's holiday notice), which
    # every agency's deadlines follow: an install-wide duty, held by whoever runs the system
    CALENDAR_ADMIN = "calendar_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "经办人",
    Role.APPROVER: "负责人",
    Role.ADMIN: "管理员",
    Role.AUDITOR: "查看",
    Role.CALENDAR_ADMIN: "日历管理员",
}


class ActorKind(StrEnum):
    USER = "user"
    SYSTEM = "system"  # expiries the law defines, applied by timers
    REPLAY = "replay"  # an import of decisions already taken: acts with every role


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    user_id: int | None = None

    @classmethod
    def system(cls) -> "Actor":
        return cls(ActorKind.SYSTEM, "system")

    @classmethod
    def replay(cls, source: str = "replay") -> "Actor":
        return cls(ActorKind.REPLAY, source, frozenset(Role))

    @property
    def label(self) -> str:
        if self.kind is ActorKind.SYSTEM:
            return "系统"
        if self.kind is ActorKind.REPLAY:
            return f"导入（{self.name}）"
        return self.name
