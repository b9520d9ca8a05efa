"""BIND faults mid-apply and misleading server errors (issue 8, items 2, 15 and 17).

Each class of fault gets more than one example; every one must end in one clear
error (exit 2, or 130 for Ctrl-C), say whether the zone may be partially applied,
and never claim success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bind import BindServer, StartBind, soa_zone_file
from faults import FAULTS, interrupt, interrupt_inside_dnspython
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
SPEC = """\
ttl: 300
spf: {mechanisms: [mx], all: fail}
records:
  a1: {type: A, value: 192.0.2.1}
  a2: {type: A, value: 192.0.2.2}
  a3: {type: A, value: 192.0.2.3}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Project:
    path: Path
    server: BindServer

    def write(
        self, spec: str, *, zone: str = ZONE, batch: int = 1, port: int | None = None
    ) -> None:
        (self.path / "zones").mkdir(exist_ok=True)
        (self.path / "zones" / f"{zone}yaml").write_text(spec)
        (self.path / "providers.yaml").write_text(
            "providers:\n"
            "  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}\n"
            "  bind:\n"
            "    class: faults.FaultyRfc2136Provider\n"
            f"    host: 127.0.0.1\n    port: {port or self.server.port}\n    timeout: 3\n"
            f"    update_batch_size: {batch}\n"
            f"    key_name: {self.server.key_name}\n    key_secret: env/{SECRET_VAR}\n"
            f"    key_algorithm: {self.server.key_algorithm}\n"
            f"zones:\n  {zone}:\n    sources: [spec]\n    targets: [bind]\n"
        )


def start(
    bind_server: StartBind, tmp: Path, monkeypatch: pytest.MonkeyPatch, body: str = ""
) -> Project:
    server = bind_server({ZONE: soa_zone_file(ZONE, body)})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp)
    project = Project(tmp, server)
    project.write(SPEC)
    return project


@pytest.fixture
def project(bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return start(bind_server, tmp_path, monkeypatch)


def applied_names(server: BindServer) -> list[str]:
    return sorted(line.split()[0] for line in server.axfr(ZONE) if " A 192.0.2." in line)


# -- the server goes away mid-apply -------------------------------------------------


@pytest.mark.parametrize("after", [1, 3])
def test_server_stopping_mid_apply_says_the_zone_may_be_partial(
    project: Project, after: int
) -> None:
    FAULTS["bind"] = project.server.stop
    (project.path / "providers.yaml").write_text(
        (project.path / "providers.yaml")
        .read_text()
        .replace("update_batch_size: 1\n", f"update_batch_size: 1\n    fault_after: {after}\n")
    )
    code, out, err = run("apply", "--yes")
    assert code == 2 and "Applied" not in out
    assert f"failed while applying changes to zone {ZONE}: connection refused" in err
    assert f"{ZONE} may be partially applied" in err
    assert "run dnsspec plan to see what is left" in err
    project.server.start()
    assert len(applied_names(project.server)) == after - 1  # batches before the fault (SPF first)
    assert run("apply", "--yes")[0] == 0
    assert run("plan", "--exit-code")[0] == 0


# -- Ctrl-C mid-apply ---------------------------------------------------------------


@pytest.mark.parametrize("fault", [interrupt_inside_dnspython, interrupt], ids=["wrapped", "plain"])
def test_ctrl_c_mid_apply_keeps_the_partial_warning(
    project: Project, fault: Callable[[], None]
) -> None:
    FAULTS["bind"] = fault
    code, out, err = run("apply", "--yes")
    assert code == 130 and "Applied" not in out
    assert "interrupted while applying: some changes may have been pushed" in err
    assert "SyntaxError" not in err and "Traceback" not in err
    assert run("apply", "--yes")[0] == 0


# -- the server refuses an update mid-apply -----------------------------------------


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        (
            "mail: {type: MX, value: {preference: 10, exchange: mx.example.com.}}",
            "mail.example.com. MX → mx.example.com.",
        ),
        (
            "lists: {type: MX, values: [{preference: 10, exchange: a1.example.com.}, "
            "{preference: 20, exchange: backup.example.com.}]}",
            "lists.example.com. MX → backup.example.com.",
        ),
    ],
)
def test_a_refused_update_names_the_record_not_allow_update(
    project: Project, entry: str, named: str
) -> None:
    """BIND refuses an MX/SRV whose in-zone target has no address (an unqualified target
    becomes one): the error names the record, and earlier batches are reported."""
    project.write(SPEC + "  " + entry + "\n")
    code, out, err = run("apply", "--yes")
    assert code == 2 and "Applied" not in out
    assert "the server refused the update (Unable to perform update: REFUSED)" in err
    assert named in err and "allow-update" not in err
    assert f"{ZONE} may be partially applied" in err


# -- accepted but not applied ---------------------------------------------------------


@pytest.mark.parametrize("hidden", ['HINFO "PC" "Linux"', "RP admin.example.com. ."])
def test_an_ignored_update_names_what_differs(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hidden: str
) -> None:
    """Data octoDNS cannot see beside a CNAME makes BIND ignore the CNAME without an
    error: the post-apply check says which record the provider does not show."""
    project = start(bind_server, tmp_path, monkeypatch, f"status IN {hidden}\n")
    project.write(SPEC + "  status: {type: CNAME, value: status.example.net.}\n")
    code, out, err = run("apply", "--yes")
    assert code == 2 and "Applied 5 change(s)" in out  # what the server said yes to
    assert (
        f"{ZONE} at bind still differs from the specs: status.example.com. CNAME: the provider "
        'does not show it (the specs want "status.example.net.")'
    ) in err
    assert "beside a CNAME" not in err


# -- misleading server errors ---------------------------------------------------------


def test_a_zone_the_server_does_not_serve_is_not_called_a_tsig_failure(project: Project) -> None:
    project.write(SPEC, zone="example.org.")
    (project.path / "zones" / f"{ZONE}yaml").unlink()
    code, out, err = run("plan")
    assert (code, out) == (2, "")
    assert "failed while reading zone example.org.: the server answered NOTAUTH" in err
    assert "it is not authoritative for this zone" in err
    assert "or it does not accept this TSIG key" in err
    assert "refused the TSIG key" not in err


def test_a_foreign_txt_value_that_is_not_utf8_is_named(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = 'bad IN TXT "x\\200y"\nlatin IN TXT "caf\\233"\nok IN TXT "caf\\195\\169"\n'
    project = start(bind_server, tmp_path, monkeypatch, body)
    for command in (("plan",), ("apply", "--yes")):
        code, out, err = run(*command)
        assert (code, out) == (2, "")
        assert "octoDNS cannot read 2 record(s) there" in err
        assert 'bad.example.com. TXT "x\\200y": its bytes are not UTF-8 text' in err
        assert 'latin.example.com. TXT "caf\\233": its bytes are not UTF-8 text' in err
        assert "ok.example.com." not in err and "nothing was changed" in err
    assert project.server.txt(f"bad.{ZONE}") == [b"x\xc8y"]  # \200 is decimal
