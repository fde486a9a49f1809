"""Settings from the environment (prefix CASEWORK_) or a .env file."""

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    sqlite_busy_timeout_ms: int = 10_000

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casework.sqlite').as_posix()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
