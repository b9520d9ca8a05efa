"""Where keygen may write a private key: never over a file, in zones/, or where git tracks it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dnsspec.dkim.keygen import private_key_path_problem


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_paths(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "zones").mkdir(parents=True)
    (repo / "secrets").mkdir()
    _git("init", "-q", cwd=repo)
    (repo / ".gitignore").write_text("secrets/\n*.key\n")

    assert private_key_path_problem(tmp_path / "outside.pem", repo / "zones") is None
    assert private_key_path_problem(repo / "secrets" / "s1.pem", repo / "zones") is None
    assert private_key_path_problem(repo / "s1.key", repo / "zones") is None  # ignored by *.key

    inside = private_key_path_problem(repo / "zones" / "s1.pem", repo / "zones")
    assert inside is not None and "inside" in inside[0]
    tracked = private_key_path_problem(repo / "s1.pem", repo / "zones")
    assert tracked is not None and "git would track" in tracked[0]
    assert ".gitignore" in tracked[1]

    existing = repo / "secrets" / "old.pem"
    existing.write_text("x")
    found = private_key_path_problem(existing)
    assert found is not None and "never overwrites" in found[0]
    missing_dir = private_key_path_problem(tmp_path / "nope" / "k.pem")
    assert missing_dir is not None and "not a directory" in missing_dir[0]
