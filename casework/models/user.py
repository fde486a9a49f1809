"""Users and their roles per agency, with delegation for a period (代理)."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from casework.models.types import UTCDateTime
from casework.timeutil import utcnow


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(max_length=100)
    email: str | None = None
    password_hash: str | None = None  # set by the API issue (argon2)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserRole(SQLModel, table=True):
    """A role held in an agency; a delegated role carries its period and who delegated it."""

    __tablename__ = "user_role"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    role: str = Field(max_length=16)
    valid_from: date | None = None
    valid_to: date | None = None
    delegated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
