"""文号: patterns, and a sequence that never repeats under concurrency (both backends)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.models import NoticeCounter
from casework.notices.kinds import NoticeKind
from casework.notices.numbering import DEFAULT_PATTERN, parse_pattern, take_number
from casework.services.directory import agency_by_code, ensure_agency


def test_the_default_pattern_tells_kinds_apart() -> None:
    pattern = parse_pattern(DEFAULT_PATTERN)
    assert pattern.per_kind
    assert pattern.format("漳街", 2026, 7, NoticeKind.REPLY) == "漳街公开复〔2026〕7号"
    assert pattern.format("漳街", 2026, 7, NoticeKind.CORRECTION) == "漳街公开补〔2026〕7号"


def test_zero_padding() -> None:
    pattern = parse_pattern("{简称}依申请〔{年}〕第{号:3}号")
    assert not pattern.per_kind
    assert pattern.format("卫健", 2025, 12, NoticeKind.FEE) == "卫健依申请〔2025〕第012号"
    assert parse_pattern("{年}-{号:04}").format("", 2025, 5, NoticeKind.FEE) == "2025-0005"


@pytest.mark.parametrize(
    ("pattern", "complaint"),
    [
        ("{简称}公开〔{年}〕号", "{号}"),
        ("{简称}公开〔2026〕{号}号", "{年}"),
        ("{机关}〔{年}〕{号}号", "不可用"),
        ("{年}{号!r}", "不可用"),
        ("{年:3}{号}", "只有 {号} 可补零"),
        ("{年}{号:x}", "只有 {号} 可补零"),
        ("{年}{号}{", "花括号"),
        ("{号.__class__}{年}", "不可用"),
        ("   ", "不能为空"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(pattern: str, complaint: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_pattern(pattern)
    assert complaint in str(refused.value)


def _numbers(engine: Engine, code: str, kind: NoticeKind, n: int) -> list[str]:
    """n numberings at once, each in a thread with its own session and write transaction."""
    barrier = threading.Barrier(n)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait()
            with unit_of_work(engine) as session:
                taken = take_number(session, agency_by_code(session, code), kind, 2026)
            with lock:
                numbers.append(taken.number)
        except BaseException as error:  # reported below, with the numbers
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors[:3]
    return numbers


def test_100_concurrent_numberings_give_100_distinct_numbers(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        ensure_agency(session, "zhz", "某街道办事处").short_name = "某街"
    numbers = _numbers(engine, "zhz", NoticeKind.REPLY, 100)
    assert len(numbers) == 100
    assert len(set(numbers)) == 100
    expected = {f"某街公开复〔2026〕{i}号" for i in range(1, 101)}
    assert set(numbers) == expected  # no gaps either: every transaction committed
    with Session(engine) as session:
        counter = session.exec(select(NoticeCounter)).one()
        assert (counter.scope, counter.last_serial) == ("reply", 100)


def test_kinds_and_years_have_their_own_sequences(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        agency = ensure_agency(session, "zhz", "某街道办事处")
        agency.short_name = "某街"
        got = [
            take_number(session, agency, NoticeKind.REPLY, 2025).number,
            take_number(session, agency, NoticeKind.REPLY, 2026).number,
            take_number(session, agency, NoticeKind.CORRECTION, 2026).number,
            take_number(session, agency, NoticeKind.REPLY, 2026).number,
        ]
    assert got == ["某街公开复〔2025〕1号", "某街公开复〔2026〕1号",
                   "某街公开补〔2026〕1号", "某街公开复〔2026〕2号"]  # fmt: skip


def test_a_pattern_without_a_kind_numbers_every_kind_in_one_sequence(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        agency = ensure_agency(session, "zhz", "某街道办事处")
        agency.short_name = "某街"
        agency.notice_number_pattern = "{简称}公开〔{年}〕{号}号"
        got = [take_number(session, agency, kind, 2026).number
               for kind in (NoticeKind.REPLY, NoticeKind.CORRECTION, NoticeKind.REPLY)]  # fmt: skip
    assert got == ["某街公开〔2026〕1号", "某街公开〔2026〕2号", "某街公开〔2026〕3号"]


def test_a_rolled_back_issue_gives_its_number_back(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        ensure_agency(session, "zhz", "某街道办事处").short_name = "某街"
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        take_number(session, agency_by_code(session, "zhz"), NoticeKind.REPLY, 2026)
        raise RuntimeError("the action failed after the number was taken")
    with unit_of_work(engine) as session:
        again = take_number(session, agency_by_code(session, "zhz"), NoticeKind.REPLY, 2026)
    assert again.number == "某街公开复〔2026〕1号"
