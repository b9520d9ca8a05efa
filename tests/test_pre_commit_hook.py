"""`.pre-commit-hooks.yaml`: the `dnsspec-lint` hook run by pre-commit itself.

`pre-commit try-repo` installs this repository into a fresh hook environment,
exactly as another repo's `.pre-commit-config.yaml` would. The install is made
offline from the wheelhouse `make` builds (.venv/wheels), so the test sends no
traffic anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / ".venv" / "wheels"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

GOOD = "spf:\n  mechanisms: [ip4:192.0.2.0/24]\n  all: fail\n"
PASS_ALL = "spf:\n  mechanisms: [ip4:192.0.2.0/24]\n  all: pass\n"
BROKEN = "spf:\n  mechanisms: [ip4:192.0.2.0/24\n  all: fail\n"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not WHEELS.is_dir() or not any(WHEELS.glob("dnsspec-*.whl")):
        message = f"no wheelhouse at {WHEELS}: run `make test` (it builds one)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    if shutil.which("git") is None:
        pytest.fail("git is needed by pre-commit")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT"))}
    # try-repo installs the hook into a store of its own that it deletes afterwards, so each
    # run builds a fresh env (~6 s); PRE_COMMIT_HOME only keeps ~/.cache/pre-commit untouched
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(WHEELS),
        PIP_COMPILE="0",  # no .pyc at install time (PIP_NO_COMPILE=1 would mean compile)
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    env.pop("GITHUB_ACTIONS", None)
    return env


def try_repo(tmp_path: Path, env: dict[str, str], specs: dict[str, str]) -> tuple[int, str]:
    repo = tmp_path / "ops"
    (repo / "zones").mkdir(parents=True)
    for zone, text in specs.items():
        (repo / "zones" / f"{zone}.yaml").write_text(text)
    (repo / "README.md").write_text("not a spec\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True, env=env)
    done = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "dnsspec-lint", "--all-files", "--color=never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def test_hook_passes_a_good_spec_and_fails_bad_ones(
    tmp_path: Path, hook_env: dict[str, str]
) -> None:
    code, out = try_repo(tmp_path / "good", hook_env, {"example.com": GOOD, "example.net": GOOD})
    assert code == 0, out
    assert "dnsspec lint" in out and "Passed" in out

    code, out = try_repo(
        tmp_path / "error", hook_env, {"example.com": GOOD, "example.org": PASS_ALL}
    )
    assert code == 1, out
    assert "Failed" in out
    assert "zones/example.org.yaml:3:8: SPF301 [error]" in out

    code, out = try_repo(tmp_path / "broken", hook_env, {"example.com": BROKEN})
    assert code == 1, out
    assert "zones/example.com.yaml:3:" in out and "invalid YAML" in out
    assert "Traceback" not in out
