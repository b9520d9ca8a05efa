"""``dnsspec init``: a new repository that lints, plans and applies with no edits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.importer.scaffold import scaffold_files

BIN = Path(sys.executable).parent
SCAFFOLD = [
    "zones/example.com.yaml",
    "schema/dnsspec.schema.json",
    "providers.yaml",
    ".pre-commit-config.yaml",
    ".gitignore",
    ".github/workflows/dnsspec.yml",
]


def shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update(PATH=f"{BIN}{os.pathsep}{environment.get('PATH', '')}", **env)
    return subprocess.run(
        command, shell=True, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def test_init_plan_apply_plan_in_an_empty_directory(tmp_path: Path) -> None:
    # the "done when", exactly as a new user types it
    done = shell(
        "dnsspec init && dnsspec plan && dnsspec apply --yes && dnsspec plan --exit-code", tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted([*SCAFFOLD, ".dnsspec-live/example.com.yaml"])
    assert "example.com. → live: 6 to create" in done.stdout
    assert done.stdout.rstrip().endswith("No changes: 1 zone(s) in sync.")

    # a new spec file is a new zone: no edit of providers.yaml
    (tmp_path / "zones" / "other.example.yaml").write_text(
        "spf: {mechanisms: [ip4:192.0.2.1], all: fail}\n"
    )
    again = shell("dnsspec plan --exit-code", tmp_path)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "other.example. → live: 1 to create" in again.stdout
    assert '+ "v=spf1 ip4:192.0.2.1 -all"' in again.stdout
    assert "example.com. →" not in again.stdout  # in sync already
    applied = shell("dnsspec apply --yes && dnsspec plan --exit-code", tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "No changes: 2 zone(s) in sync." in applied.stdout


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("mine\n")
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / '.gitignore'} already exists" in result.output
    assert "--force" in result.output
    assert [p.name for p in tmp_path.iterdir()] == [".gitignore"]
    assert (tmp_path / ".gitignore").read_text() == "mine\n"

    forced = CliRunner().invoke(app, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert ".dnsspec-live/" in (tmp_path / ".gitignore").read_text()
    assert all((tmp_path / rel).is_file() for rel in SCAFFOLD)


def test_init_names_every_existing_file(tmp_path: Path) -> None:
    CliRunner().invoke(app, ["init", str(tmp_path)])
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    for rel in SCAFFOLD:
        assert str(tmp_path / rel) in result.output


def test_init_one_spec_per_zone(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["init", str(tmp_path / "dns"), "--zone", "Example.ORG", "--zone", "example.net."]
    )
    assert result.exit_code == 0, result.output
    zones = sorted(p.name for p in (tmp_path / "dns" / "zones").iterdir())
    assert zones == ["example.net.yaml", "example.org.yaml"]
    assert "mx1.example.org." in (tmp_path / "dns" / "zones" / "example.org.yaml").read_text()
    done = shell("dnsspec lint && dnsspec plan", tmp_path / "dns")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "example.net. → live: 6 to create" in done.stdout
    assert "example.org. → live: 6 to create" in done.stdout


@pytest.mark.parametrize("zone", ["a..b", "localhost", "has space.example", "x" * 64 + ".example"])
def test_init_rejects_a_bad_zone_name(tmp_path: Path, zone: str) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path), "--zone", zone])
    assert result.exit_code == 2
    assert "is not a zone name" in result.output
    assert "write it as example.com" in result.output
    assert not any(tmp_path.iterdir())


def test_lint_without_zones_says_to_run_init(tmp_path: Path) -> None:
    result = shell("dnsspec lint", tmp_path)
    assert result.returncode == 2
    assert "zones:1:1: error: no zones/ directory here" in result.stderr
    assert "run `dnsspec init`" in result.stderr
    plan = shell("dnsspec plan", tmp_path)
    assert plan.returncode == 2
    assert "`dnsspec init` writes one" in plan.stderr


def test_explicit_zone_entries_override_the_dynamic_list(tmp_path: Path) -> None:
    assert shell("dnsspec init --zone example.com --zone example.org", tmp_path).returncode == 0
    config = tmp_path / "providers.yaml"
    data = yaml.safe_load(config.read_text())
    data["providers"]["other"] = {**data["providers"]["live"], "directory": "./.other-live"}
    data["zones"]["example.org."] = {"sources": ["spec"], "targets": ["other"]}
    config.write_text(yaml.safe_dump(data))
    result = shell("dnsspec apply --yes && dnsspec plan --exit-code", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "example.com. → live: 6 to create" in result.stdout
    assert "example.org. → other: 6 to create" in result.stdout
    assert "example.org. → live" not in result.stdout
    assert sorted(p.name for p in (tmp_path / ".dnsspec-live").iterdir()) == ["example.com.yaml"]
    assert sorted(p.name for p in (tmp_path / ".other-live").iterdir()) == ["example.org.yaml"]


def test_the_workflow_runs_lint_and_plan_into_the_job_summary(tmp_path: Path) -> None:
    assert shell("dnsspec init", tmp_path).returncode == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/dnsspec.yml").read_text())
    # `on:` loads as True (YAML 1.1): the workflow runs on pull requests only
    assert list(workflow[True]) == ["pull_request"]
    steps = workflow["jobs"]["dnsspec"]["steps"]
    runs = [s["run"] for s in steps if s.get("run", "").startswith("dnsspec ")]
    assert runs == [
        "dnsspec lint --format github",
        'dnsspec plan --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ]
    summary = tmp_path / "summary.md"
    for run in runs:  # run as the job does, with GitHub's variables set
        result = shell(run, tmp_path, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
        assert result.returncode == 0, result.stdout + result.stderr
    text = summary.read_text()
    assert "example.com." in text and "v=spf1 mx ip4:192.0.2.0/25 -all" in text
    assert "|" in text  # a markdown table


@pytest.mark.integration
def test_the_pre_commit_hook_lints_the_specs(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed by pre-commit")
    git_env = {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    repo = tmp_path / "ops"
    repo.mkdir()
    assert shell("dnsspec init && git init -q && git add -A", repo, **git_env).returncode == 0
    clean = shell("pre-commit run --all-files", repo, **git_env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "dnsspec lint" in clean.stdout and "Passed" in clean.stdout

    spec = repo / "zones" / "example.com.yaml"
    spec.write_text(spec.read_text().replace("all: fail", "all: pass"))
    shell("git add -A", repo, **git_env)
    failed = shell("pre-commit run --all-files", repo, **git_env)
    assert failed.returncode == 1
    assert "SPF301" in failed.stdout


def test_scaffold_files_are_the_ones_init_writes() -> None:
    assert list(scaffold_files()) == SCAFFOLD
    assert [p for p in scaffold_files(["example.org", "example.org."]) if "zones/" in p] == [
        "zones/example.org.yaml"
    ]
