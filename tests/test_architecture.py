"""The folder layout is the architecture: dependencies point one way (DESIGN §2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run(
        [exe, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_domain_packages_never_import_web_or_queue_modules() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for package in ("casework", "workflows")
        for path in (ROOT / package).rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(("import ", "from "))
        and any(name in line.split() for name in ("fastapi", "celery", "starlette", "uvicorn"))
    ]
    assert offenders == []
