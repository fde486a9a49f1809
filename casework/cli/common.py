"""What every command shares: the engine, today's date, the acting user, error output."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from casework.db import engine_for, read_session, unit_of_work
from casework.errors import CaseworkError
from casework.migrate import current_revision, head_revision
from casework.models import Agency
from casework.services.directory import actor_for
from casework.settings import Settings, get_settings
from casework.timeutil import china_today
from workflows.roles import Actor

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    errors.print(f"[bold red]错误：[/]{message}", markup=True)
    raise typer.Exit(code)


def settings() -> Settings:
    return get_settings()


def today() -> date:
    return settings().today or china_today()


def parse_date(value: str, what: str = "日期") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{what}“{value}”不是有效日期（格式 YYYY-MM-DD）", 2)


def database_exists() -> bool:
    url = make_url(settings().url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return True
    return os.path.exists(url.database)


def engine(*, migrated: bool = True) -> Engine:
    if migrated and not database_exists():
        fail("数据库尚未初始化：请先运行 casework init")
    eng = engine_for(settings())
    if migrated:
        current = current_revision(eng)
        if current != head_revision():
            fail("数据库尚未初始化或版本过旧：请先运行 casework init")
    return eng


@contextmanager
def writing() -> Iterator[Session]:
    with unit_of_work(engine()) as session:
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    with read_session(engine()) as session:
        yield session


def acting_user(session: Session, username: str | None, agency: Agency, day: date) -> Actor:
    name = username or os.environ.get("CASEWORK_USER")
    if not name:
        fail("请用 --as 指定操作人（或设置环境变量 CASEWORK_USER）")
    return actor_for(session, name, agency, day)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def report_error(error: CaseworkError) -> NoReturn:
    fail(str(error))
