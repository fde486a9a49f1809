"""Idempotency keys: what a key created is found again, keys expire after
`idempotency_hours`, and the daily job drops expired ones (the API tests cover the doors)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from casework.db import unit_of_work
from casework.errors import Invalid
from casework.models import IdempotencyKey
from casework.services import directory, idempotency
from casework.timeutil import utcnow


def test_a_key_is_found_again_until_it_expires(engine: Engine) -> None:
    now = utcnow()
    with unit_of_work(engine) as s:
        user_id = directory.add_user(s, "clerk", "李经办").id or 0
        made = []
        first = idempotency.create_once(s, user_id, "k1", "register", {"a": 1}, now,
                                        lambda: made.append(1) or 41)  # fmt: skip
        assert first == (41, False) and made == [1]
    with unit_of_work(engine) as s:
        again = idempotency.create_once(s, user_id, "k1", "register", {"a": 1},
                                        now + timedelta(hours=23), lambda: 99)  # fmt: skip
        assert again == (41, True)
        with pytest.raises(Invalid) as refused:
            idempotency.create_once(s, user_id, "k1", "register", {"a": 2}, now, lambda: 99)
        assert refused.value.field == "Idempotency-Key"
    with unit_of_work(engine) as s:  # a day later the key is free again
        later = idempotency.create_once(s, user_id, "k1", "register", {"a": 2},
                                        now + timedelta(hours=25), lambda: 42)  # fmt: skip
        assert later == (42, False)


def test_the_daily_purge_drops_only_expired_keys(engine: Engine) -> None:
    now = utcnow()
    with unit_of_work(engine) as s:
        user_id = directory.add_user(s, "clerk", "李经办").id or 0
        for key, age in (("old", 30), ("new", 1)):
            idempotency.remember(s, user_id, key, "register", "0" * 64, 1,
                                 now - timedelta(hours=age))  # fmt: skip
    with unit_of_work(engine) as s:
        assert idempotency.purge_expired(s, now) == 1
    with unit_of_work(engine) as s:
        assert [k.key for k in s.exec(select(IdempotencyKey))] == ["new"]
