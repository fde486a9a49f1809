"""Errors a user can cause, each with one clear Chinese line (the CLI and the API map them)."""


class CaseworkError(Exception):
    """Base: `str(error)` is the message shown to the user."""

    code = "error"


class NotFound(CaseworkError):
    code = "not_found"


class Conflict(CaseworkError):
    """A stale version or a duplicate: someone else changed the data first."""

    code = "conflict"


class Invalid(CaseworkError):
    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ActionError(CaseworkError):
    """An action refused on a case; names the case and the action."""

    code = "action_refused"

    def __init__(
        self, ref: str | None, action: str, reasons: list[str], field: str | None = None
    ) -> None:
        where = f"案件 {ref}" if ref else "新案件"
        super().__init__(f"{where}：操作{_label(action)}未执行：{'；'.join(reasons)}")
        self.ref = ref
        self.action = action
        self.reasons = reasons
        self.field = field


def _label(action: str) -> str:
    """The action's Chinese name with the name a command or a URL uses: 延期答复（extend）."""
    from workflows.actions import ACTION_BY_NAME  # workflows is below casework: no cycle

    spec = ACTION_BY_NAME.get(action)
    return f"{spec.label}（{action}）" if spec is not None else action


class Forbidden(CaseworkError):
    code = "forbidden"


class Unauthorized(CaseworkError):
    """No valid login (a missing, wrong, expired or revoked credential)."""

    code = "unauthorized"


class Throttled(CaseworkError):
    """Too many failed logins: try again after `retry_after` seconds."""

    code = "throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(CaseworkError):
    """A file over the size limit (nothing of it is kept)."""

    code = "payload_too_large"


class UnsupportedType(CaseworkError):
    """A file whose content is not of an allowed type, or whose name says another type."""

    code = "unsupported_media_type"


class Infected(CaseworkError):
    """The virus scanner found something in a file (it is not kept)."""

    code = "infected"


class ScanFailed(CaseworkError):
    """The virus scanner could not check a file, and the policy refuses unchecked files."""

    code = "unavailable"
