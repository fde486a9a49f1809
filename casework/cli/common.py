"""What every command shares: the engine, today's date, the acting user, error output."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session

from casework.db import engine_for, read_session, unit_of_work
from casework.errors import CaseworkError
from casework.migrate import current_revision, head_revision
from casework.models import Agency
from casework.services.directory import actor_for
from casework.settings import Settings, get_settings
from casework.timeutil import china_today
from workflows.roles import Actor
from workflows.validation import describe

# Markup and emoji codes are off: case data (“[2023]12号”, “[/]”, “:x:”) prints as typed.
# Where a line is styled, it passes markup=True and escapes every value from data or the user.
console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)


def print_error(message: str) -> None:
    errors.print(f"[bold red]错误：[/]{escape(message)}", markup=True)


def fail(message: str, code: int = 1) -> NoReturn:
    print_error(message)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        problems = "；".join(
            f"CASEWORK_{path.upper()}：{message}" for path, message in describe(error)
        )
        fail(f"环境变量设置有误：{problems}", 2)


def today() -> date:
    return settings().today or china_today()


def parse_date(value: str, what: str = "日期") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{what}“{value}”不是有效日期（格式 YYYY-MM-DD）", 2)


def _url() -> URL:
    try:
        return make_url(settings().url)
    except (ArgumentError, ValueError):  # the URL may hold a password: not echoed
        fail("数据库地址 CASEWORK_DATABASE_URL 无效（格式如 sqlite:///路径 或 postgresql://…）", 2)


def open_engine() -> Engine:
    """The engine for the configured URL (not checked for migrations)."""
    _url()
    try:
        return engine_for(settings())
    except (ArgumentError, ImportError) as error:
        fail(f"无法使用数据库地址 CASEWORK_DATABASE_URL（不支持或缺少驱动）：{error}", 2)


def database_exists() -> bool:
    url = _url()
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return True
    return os.path.exists(url.database)


def engine(*, migrated: bool = True) -> Engine:
    if migrated and not database_exists():
        fail("数据库尚未初始化：请先运行 casework init")
    eng = open_engine()
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


def username(as_user: str | None) -> str:
    """The user a command acts as: --as, else CASEWORK_USER."""
    name = as_user or os.environ.get("CASEWORK_USER")
    if not name:
        fail("请用 --as 指定操作人（或设置环境变量 CASEWORK_USER）")
    return name


def acting_user(session: Session, as_user: str | None, agency: Agency, day: date) -> Actor:
    return actor_for(session, username(as_user), agency, day)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def report_error(error: CaseworkError) -> NoReturn:
    fail(str(error))
