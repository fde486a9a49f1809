"""Fetch the front-end assets listed in api/static/vendor/assets.json from the npm registry
(`npm pack` checks each tarball's integrity), copy the listed files under
api/static/vendor/<package>/ and record their SHA-256 in the manifest.

    python tools/vendor_assets.py           # fetch, copy, record hashes
    python tools/vendor_assets.py --check   # verify the copied files against the manifest

`--manifest PATH` works on another manifest the same way, its files beside it (the tests'
own assets, not served: tests/api/web/vendor/assets.json).
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


def fetch(manifest: dict[str, Any], path: Path = MANIFEST) -> None:
    vendor = path.parent
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
            target = vendor / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            spec["sha256"] = {}
            for file in spec["files"]:
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(tmp) / "package" / file, target / file)
                spec["sha256"][file] = sha256(target / file)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def check(manifest: dict[str, Any], path: Path = MANIFEST) -> list[str]:
    vendor = path.parent
    problems = []
    for name, spec in manifest["packages"].items():
        for file in spec["files"]:
            copied = vendor / name / file
            shown = copied.relative_to(ROOT) if copied.is_relative_to(ROOT) else copied
            if not copied.is_file():
                problems.append(f"missing: {shown}")
            elif sha256(copied) != spec.get("sha256", {}).get(file):
                problems.append(f"changed: {shown}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    args = parser.parse_args()
    path = args.manifest.resolve()
    manifest = json.loads(path.read_text())
    if not args.check:
        fetch(manifest, path)
    problems = check(manifest, path)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
