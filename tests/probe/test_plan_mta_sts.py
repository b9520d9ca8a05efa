"""plan: an ``_mta-sts`` id change in words, from the policy the domain serves now.

The old policy comes from ``https://mta-sts.example.com/.well-known/mta-sts.txt``,
served here by an HTTPS server on 127.0.0.1 with a trustme certificate; the host's
address from the fixture DNS server. The new policy is the file the spec writes.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from dnsserver import StartServer
from httpsserver import PolicyServer, Served
from smtpservers import Pki
from typer.testing import CliRunner

from dnsspec.cli import app

HOST = "mta-sts.example.com"
SPEC = """\
spf: none
mta_sts: {{mode: {mode}, max_age: {max_age}}}
records:
  "": {{type: MX, value: {{preference: 10, exchange: {mx}.}}}}
  mta-sts: {{type: A, value: 127.0.0.1}}
"""
CONFIG = """\
providers:
  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
zones:
  example.com.:
    sources: [spec]
    targets: [live]
"""
SERVE_FIRST = "serve the new policy file first"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def write_spec(root: Path, mode: str, max_age: int = 604800, mx: str = "mx1.example.com") -> bytes:
    """Write the spec; the policy file it makes (what `dnsspec mta-sts policy` prints)."""
    (root / "zones" / "example.com.yaml").write_text(SPEC.format(mode=mode, max_age=max_age, mx=mx))
    result = CliRunner().invoke(app, ["mta-sts", "policy", "example.com"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose live zone publishes the testing policy (applied), and whose spec
    now says enforce with a longer max_age."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / ".dnsspec-live").mkdir()
    (tmp_path / "providers.yaml").write_text(CONFIG)
    write_spec(tmp_path, "testing", 86400)
    assert run("apply", "--yes")[0] == 0
    write_spec(tmp_path, "enforce")
    return tmp_path


# the testing policy, as `dnsspec mta-sts policy --out` wrote it before the change
OLD_POLICY = b"version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n"


def plan_fetching(
    pki: Pki, dns_server: StartServer, port: int, *extra: str
) -> tuple[int, str, str]:
    dns = dns_server({HOST: [("A", "127.0.0.1")]})
    return run(
        "plan",
        "--mta-sts-fetch",
        "--nameserver",
        dns.address,
        "--ca-file",
        str(pki.ca_file),
        "--mta-sts-port",
        str(port),
        *extra,
    )


def mta_sts_line(out: str) -> str:
    lines = out.splitlines()
    return lines[lines.index("  MTA-STS:") + 1].strip()


def test_the_old_mode_comes_from_the_served_policy(
    project: Path, pki: Pki, dns_server: StartServer
) -> None:
    with PolicyServer(pki.leaf(HOST), Served(OLD_POLICY)) as https:
        code, out, err = plan_fetching(pki, dns_server, https.port)
        assert https.requests == [("/.well-known/mta-sts.txt", HOST)]
    assert (code, err) == (0, "")
    assert mta_sts_line(out) == (
        f"example.com: mode testing → enforce, max_age 86400 → 604800, id changed ({SERVE_FIRST})"
    )


def test_the_json_plan_carries_both_modes(project: Path, pki: Pki, dns_server: StartServer) -> None:
    with PolicyServer(pki.leaf(HOST), Served(OLD_POLICY)) as https:
        code, out, _ = plan_fetching(pki, dns_server, https.port, "--format", "json")
    assert code == 0
    (item,) = json.loads(out)["targets"][0]["mta_sts"]
    assert {k: item[k] for k in ("mode_before", "mode_after", "fields", "served")} == {
        "mode_before": "testing",
        "mode_after": "enforce",
        "fields": ["max_age 86400 → 604800"],
        "served": "old",
    }
    assert item["id_before"] != item["id_after"] and item["domain"] == "example.com."


def test_mx_patterns_added_and_removed(project: Path, pki: Pki, dns_server: StartServer) -> None:
    served = write_spec(project, "enforce", mx="mx0.example.com")  # what is served now …
    assert run("apply", "--yes")[0] == 0
    write_spec(project, "enforce")  # … and the spec moves the MX to mx1
    with PolicyServer(pki.leaf(HOST), Served(served)) as https:
        code, out, _ = plan_fetching(pki, dns_server, https.port)
    assert code == 0
    assert mta_sts_line(out) == (
        f"example.com: mx + mx1.example.com, mx − mx0.example.com, id changed ({SERVE_FIRST})"
    )


def test_a_domain_already_serving_the_new_file_says_the_first_step_is_done(
    project: Path, pki: Pki, dns_server: StartServer
) -> None:
    served = CliRunner().invoke(app, ["mta-sts", "policy", "example.com"]).stdout_bytes
    with PolicyServer(pki.leaf(HOST), Served(served)) as https:
        code, out, _ = plan_fetching(pki, dns_server, https.port)
    assert code == 0
    assert (
        mta_sts_line(out)
        == f"example.com: id changed ({SERVE_FIRST}: done, {HOST} already serves it)"
    )
    # the same policy with LF line endings is the new policy too (senders read either)
    with PolicyServer(pki.leaf(HOST), Served(served.replace(b"\r\n", b"\n"))) as https:
        assert "already serves it" in mta_sts_line(plan_fetching(pki, dns_server, https.port)[1])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the block ends: nothing listens


@pytest.mark.parametrize(
    ("served", "leaf_name", "reason"),
    [
        (Served(b"", status=404), HOST, f"HTTP 404: {HOST} serves no /.well-known/mta-sts.txt"),
        (
            Served(b"", status=301, location="https://example.com/"),
            HOST,
            "HTTP 301 Moved Permanently (to https://example.com/): the policy must be served "
            "with 200, redirects are not followed (RFC 8461 §3.3)",
        ),
        (Served(b"<html>hi</html>", content_type="text/html"), HOST, "served as 'text/html'"),
        (Served(b"mode: enforce\r\n"), HOST, "the served policy is not valid: the policy needs"),
        (Served(b"x" * (64 * 1024 + 1)), HOST, "larger than 65536 bytes"),
        (Served(b"version: STSv1\r\n"), "www.example.net", f"not valid for {HOST}"),
    ],
)
def test_a_failed_fetch_is_said_and_never_fails_the_plan(
    project: Path, pki: Pki, dns_server: StartServer, served: Served, leaf_name: str, reason: str
) -> None:
    with PolicyServer(pki.leaf(leaf_name), served) as https:
        code, out, err = plan_fetching(pki, dns_server, https.port)
    assert (code, err) == (0, "")
    line = mta_sts_line(out)
    assert line.startswith("example.com: id changed (old policy not fetched: "), line
    assert reason in line and line.endswith(f"; {SERVE_FIRST})"), line


def test_no_server_and_no_address_are_reasons_too(
    project: Path, pki: Pki, dns_server: StartServer
) -> None:
    line = mta_sts_line(plan_fetching(pki, dns_server, closed_port())[1])
    assert "old policy not fetched: cannot connect to 127.0.0.1:" in line
    empty = dns_server({"example.com": [("A", "192.0.2.1")]})
    code, out, _ = run("plan", "--mta-sts-fetch", "--nameserver", empty.address)
    assert code == 0
    assert f"old policy not fetched: {HOST}" in mta_sts_line(out)


def test_off_asks_nothing(project: Path, pki: Pki, dns_server: StartServer) -> None:
    with PolicyServer(pki.leaf(HOST), Served(OLD_POLICY)) as https:
        code, out, _ = run("plan", "--no-mta-sts-fetch", "--mta-sts-port", str(https.port))
        env_off = run("plan", "--mta-sts-port", str(https.port))  # DNSSPEC_MTA_STS_FETCH=0
        assert https.requests == []
    expected = (
        "example.com: id changed (old policy not fetched: the fetch is off, --no-mta-sts-fetch; "
        f"{SERVE_FIRST})"
    )
    assert code == 0 and mta_sts_line(out) == expected
    assert mta_sts_line(env_off[1]) == expected


def test_a_published_or_unchanged_policy_fetches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: Pki, dns_server: StartServer
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / ".dnsspec-live").mkdir()
    (tmp_path / "providers.yaml").write_text(CONFIG)
    write_spec(tmp_path, "testing")
    with PolicyServer(pki.leaf(HOST), Served(b"")) as https:
        code, out, _ = plan_fetching(pki, dns_server, https.port)
        assert https.requests == []
    assert code == 0
    assert mta_sts_line(out).startswith("example.com: policy published: mode testing, id ")
    assert mta_sts_line(out).endswith(f"({SERVE_FIRST})")
    assert run("apply", "--yes")[0] == 0
    with PolicyServer(pki.leaf(HOST), Served(b"")) as https:
        assert plan_fetching(pki, dns_server, https.port)[:2] == (
            0,
            "No changes: 1 zone(s) in sync.\n",
        )
        assert https.requests == []
