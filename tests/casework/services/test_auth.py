"""Login throttling per user name and per address (the API's tests cover the per-user one
over HTTP; its server lifts the per-address limit, since every test logs in from 127.0.0.1)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from casework.db import unit_of_work
from casework.errors import Throttled
from casework.services import auth
from casework.settings import Settings
from casework.timeutil import utcnow


def test_failures_from_one_address_are_throttled_whatever_the_names(engine: Engine) -> None:
    settings = Settings(login_max_failures=5, login_max_failures_per_address=3)
    now = utcnow()
    for name in ("a", "b", "c"):
        with unit_of_work(engine) as s:
            assert auth.login(s, name, "wrong-1234", kind="bearer", remote="10.0.0.1", now=now,
                              settings=settings) is None  # fmt: skip
    with pytest.raises(Throttled) as caught, unit_of_work(engine) as s:
        auth.login(
            s, "d", "wrong-1234", kind="bearer", remote="10.0.0.1", now=now, settings=settings
        )
    assert caught.value.retry_after > 0 and "分钟后再试" in str(caught.value)
    with unit_of_work(engine) as s:  # another address is not affected
        assert auth.login(s, "d", "wrong-1234", kind="bearer", remote="10.0.0.2", now=now,
                          settings=settings) is None  # fmt: skip
