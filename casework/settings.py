"""Settings from the environment (prefix CASEWORK_) or a .env file."""

from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from casework.attachments.types import parse_type_names
from casework.errors import Invalid
from casework.reports.due import parse_month_day
from casework.timeutil import CHINA, china_instant, china_today, utcnow


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="where the SQLite file lives")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default a SQLite file in data_dir"
    )
    timezone: str = "Asia/Shanghai"
    today: date | None = Field(
        default=None, description="fixed 'today' for demos and tests (the injectable clock)"
    )
    now: datetime | None = Field(
        default=None, description="fixed instant for tests (with `today` alone: noon of that day)"
    )
    sqlite_busy_timeout_ms: int = 10_000
    sweep_seconds: float = Field(default=30, description="how often beat runs the sweep")
    sweep_batch: int = Field(
        default=2000,
        description="timers one sweep hands out at most; none while twice as many still wait",
    )
    sweep_again_seconds: float = Field(
        default=1,
        ge=0,
        description="while due timers wait unclaimed (a mass due at once), sweep again after "
        "this many seconds instead of at beat's next tick",
    )
    fire_batch: int = Field(
        default=100, ge=1, description="timers per fire task (fired in one transaction)"
    )
    stale_claim_seconds: int = Field(
        default=600, description="a claim older than this is retaken (its worker died)"
    )
    broker_url: str | None = Field(
        default=None,
        description="Celery broker (redis://…); unset: kombu's filesystem transport in data_dir",
    )
    broker_visibility_timeout: int | None = Field(
        default=None,
        description="Redis: seconds before an unacknowledged task is redelivered (kombu: 3600)",
    )

    # Notifications (DESIGN §4): links point at the web UI; e-mail only when an SMTP host is set
    public_url: str = Field(default="http://127.0.0.1:8000", description="base of links")
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "casework@localhost"
    delivery_max_attempts: int = Field(default=5, description="then a delivery is failed")
    delivery_retry_seconds: float = Field(default=60, description="first retry; doubles each time")
    delivery_timeout_seconds: float = 10
    daily_jobs_seconds: float = Field(
        default=600, description="how often beat checks the daily digest and calendar jobs"
    )

    # HTTP API and logins (DESIGN §6)
    host: str = Field(default="127.0.0.1", description="`casework serve` listens here")
    port: int = Field(default=8000, ge=1, le=65535)
    api_workers: int = Field(default=1, ge=1, description="uvicorn worker processes")
    token_hours: float = Field(default=12, gt=0, description="a login lasts this long")
    idempotency_hours: float = Field(
        default=24, gt=0, description="an Idempotency-Key is remembered this long"
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins per user name in the window"
    )
    login_max_failures_per_address: int = Field(
        default=20,
        ge=1,
        description="failed logins from one address in the window (an office "
        "behind one NAT address shares it)",
    )
    login_window_minutes: float = Field(default=15, gt=0, description="the throttling window")
    cookie_secure: bool = Field(
        default=False, description="send the session cookie over HTTPS only (set behind TLS)"
    )
    admin_password: str | None = Field(
        default=None,
        description="the first administrator's password on first start (else one is printed)",
    )
    metrics_token: str | None = Field(
        default=None, description="/metrics answers loopback, or a bearer of this token"
    )

    # Attachments (issue 6): files of a case, kept by content hash once checked
    attachments_dir: Path | None = Field(
        default=None, description="where attached files are kept; default data_dir/attachments"
    )
    attachment_max_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1, description="the largest file accepted, in bytes"
    )
    attachment_types: str = Field(
        default="pdf,jpeg,png,tiff,ofd,docx,xlsx,doc,xls,txt",
        description="the types accepted (comma-separated), recognised by content, not by name",
    )
    virus_scan_command: str | None = Field(
        default=None,
        description="run on each upload before it is kept, {path} the file (e.g. "
        "`clamdscan --no-summary --fdpass {path}`); unset: uploads are not scanned",
    )
    virus_scan_infected_exit: int = Field(
        default=1, description="the scanner's exit status for an infected file (ClamAV: 1)"
    )
    virus_scan_timeout_seconds: float = Field(default=120, gt=0)
    virus_scan_on_error: Literal["refuse", "accept"] = Field(
        default="refuse",
        description="when the scanner fails or is missing: refuse the upload (fail closed) "
        "or keep it marked as unscanned (fail open)",
    )

    # Annual reports (条例第四十九条): a department's report is due by 31 January; a government
    # whose own report is due by 31 March has it set per agency (`agency set --report-due`)
    report_due_default: str = Field(
        default="01-31", description="the annual report's due day (MM-DD of the next year)"
    )

    @field_validator("report_due_default")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            parse_month_day(value)
        except Invalid as error:
            raise ValueError(str(error)) from None
        return value.strip()

    @field_validator("attachment_types")
    @classmethod
    def _known_types(cls, value: str) -> str:
        parse_type_names(value)  # an unknown name is a clear error at start-up
        return value

    def instant(self) -> datetime:
        """Now — or the injected clock."""
        if self.now is not None:
            return self.now if self.now.tzinfo else self.now.replace(tzinfo=CHINA)
        if self.today is not None:
            return china_instant(self.today, time(12))
        return utcnow()

    def current_day(self) -> date:
        return self.today or china_today(self.instant())

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casework.sqlite').as_posix()}"

    @property
    def attachment_root(self) -> Path:
        return self.attachments_dir or self.data_dir / "attachments"


@lru_cache
def get_settings() -> Settings:
    return Settings()
