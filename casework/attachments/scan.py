"""The virus-scan hook: a command the agency configures (ClamAV's `clamdscan`, a vendor's
scanner …), run on each upload before it is kept. Exit 0: clean; the configured "infected"
status (ClamAV: 1): refused; anything else, a timeout or a missing program: the scanner
failed, and the policy decides — refuse (fail closed, the default) or keep the file marked
as unchecked (fail open). No command configured: no scan, and each file records that."""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import signal
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from casework.errors import Infected, ScanFailed
from casework.settings import Settings

log = logging.getLogger(__name__)
PATH_FIELD = "{path}"
MAX_REPORT = 200  # characters of the scanner's words quoted in a refusal


class ScanStatus(StrEnum):
    CLEAN = "clean"
    NOT_SCANNED = "not_scanned"
    UNCHECKED = "unchecked"

    @property
    def label(self) -> str:
        return SCAN_LABELS[self]


SCAN_LABELS = {
    ScanStatus.CLEAN: "已查毒，未发现病毒",
    ScanStatus.NOT_SCANNED: "未配置查毒程序，未查毒",
    ScanStatus.UNCHECKED: "查毒程序出错，按设置未经查毒保存",
}


@dataclass(frozen=True)
class ScanPolicy:
    command: str | None = None
    infected_exit: int = 1
    timeout_seconds: float = 120
    on_error: Literal["refuse", "accept"] = "refuse"

    @classmethod
    def from_settings(cls, settings: Settings) -> ScanPolicy:
        return cls(
            settings.virus_scan_command or None,
            settings.virus_scan_infected_exit,
            settings.virus_scan_timeout_seconds,
            settings.virus_scan_on_error,
        )


def command_argv(command: str, path: Path) -> list[str]:
    """`clamdscan --no-summary {path}` → its arguments, {path} filled in (no shell is run, so
    nothing in a path can become a command); without {path} the file is the last argument."""
    argv = shlex.split(command)
    if not any(PATH_FIELD in arg for arg in argv):
        return [*argv, str(path)]
    return [arg.replace(PATH_FIELD, str(path)) for arg in argv]


def scan(path: Path, policy: ScanPolicy, shown_as: str = "文件") -> ScanStatus:
    """Scan one file; raise `Infected`, or `ScanFailed` when the scanner failed and the policy
    refuses unchecked files. `shown_as` replaces the file's path in the scanner's words."""
    if not policy.command:
        return ScanStatus.NOT_SCANNED
    try:
        argv = command_argv(policy.command, path)
    except ValueError as error:  # unbalanced quotes in the setting
        return _failed(policy, f"查毒命令 CASEWORK_VIRUS_SCAN_COMMAND 有误：{error}")
    try:
        # its own process group, so that a timeout stops what a wrapper script started too
        scanner = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:  # not installed, not executable …
        return _failed(policy, f"无法运行查毒程序“{argv[0]}”：{error.strerror or error}")
    try:
        stdout, stderr = scanner.communicate(timeout=policy.timeout_seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(scanner.pid, signal.SIGKILL)
        scanner.communicate()
        return _failed(policy, f"查毒超时（{policy.timeout_seconds:g} 秒）")
    done = subprocess.CompletedProcess(argv, scanner.returncode, stdout, stderr)
    if done.returncode == 0:
        return ScanStatus.CLEAN
    said = _words(done.stdout + b"\n" + done.stderr, path, shown_as)
    if done.returncode == policy.infected_exit:
        log.warning("virus scanner refused an upload: %s", said)
        raise Infected(f"查毒程序报告文件含有病毒或恶意代码，未保存：{said or '（无说明）'}")
    return _failed(policy, f"查毒程序出错（退出状态 {done.returncode}）：{said or '（无说明）'}")


def _words(output: bytes, path: Path, shown_as: str) -> str:
    text = output.decode("utf-8", "replace").replace(str(path), shown_as)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "；".join(lines)[:MAX_REPORT]


def _failed(policy: ScanPolicy, reason: str) -> ScanStatus:
    log.error("virus scan failed: %s", reason)
    if policy.on_error == "accept":
        return ScanStatus.UNCHECKED
    raise ScanFailed(f"{reason}。按设置不保存未经查毒的文件，请稍后重试或联系管理员")
