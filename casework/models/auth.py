"""Login sessions (revocable tokens, stored hashed) and login attempts (for throttling)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class AuthToken(SQLModel, table=True):
    """A bearer token or a browser session. Only the SHA-256 of the token is stored, so a copy
    of the database logs nobody in; logout or expiry revokes it."""

    __tablename__ = "auth_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=8)  # bearer | cookie
    csrf_hash: str | None = Field(default=None, max_length=64)  # cookie sessions only
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    remote: str | None = Field(default=None, max_length=64)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    remote: str | None = Field(default=None, max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    succeeded: bool = False
