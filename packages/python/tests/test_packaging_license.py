"""The LICENSE shipped in the sdist and the wheel is the repository's own, byte for byte."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def test_package_license_is_the_repository_license() -> None:
    # pyproject.toml's license-files cannot point outside the package directory, hence the copy.
    copy = (PACKAGE / "LICENSE").read_bytes()
    root = (PACKAGE.parent.parent / "LICENSE").read_bytes()
    assert copy == root, "packages/python/LICENSE differs from the root LICENSE: cp ../../LICENSE ."
    assert b"Apache License" in copy
    assert b"Version 2.0, January 2004" in copy
