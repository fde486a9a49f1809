"""Fetch the front-end assets listed in api/static/vendor/assets.json from the npm registry
(`npm pack` checks each tarball's integrity), copy the listed files under
api/static/vendor/<package>/ and record their SHA-256 in the manifest.

    python tools/vendor_assets.py           # fetch, copy, record hashes
    python tools/vendor_assets.py --check   # verify the copied files against the manifest
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "api" / "static" / "vendor"
MANIFEST = VENDOR / "assets.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(manifest: dict[str, Any]) -> None:
    for name, spec in manifest["packages"].items():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["npm", "pack", f"{name}@{spec['version']}", "--silent"],
                cwd=tmp,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            (tarball,) = Path(tmp).glob("*.tgz")
            with tarfile.open(tarball) as archive:
                archive.extractall(tmp, filter="data")
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            spec["sha256"] = {}
            for file in spec["files"]:
                shutil.copyfile(Path(tmp) / "package" / file, target / file)
                spec["sha256"][file] = sha256(target / file)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def check(manifest: dict[str, Any]) -> list[str]:
    problems = []
    for name, spec in manifest["packages"].items():
        for file in spec["files"]:
            path = VENDOR / name / file
            if not path.is_file():
                problems.append(f"missing: {path.relative_to(ROOT)}")
            elif sha256(path) != spec.get("sha256", {}).get(file):
                problems.append(f"changed: {path.relative_to(ROOT)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text())
    if not args.check:
        fetch(manifest)
    problems = check(manifest)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
