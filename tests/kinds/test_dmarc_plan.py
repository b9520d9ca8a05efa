"""dmarc: through plan and apply against the embedded YamlProvider target."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from plan_project import live_state, project, run


def test_p_none_to_reject_leaves_one_dmarc_record_and_the_foreign_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"_dmarc": {"type": "TXT", "values": ["v=DMARC1; p=none", "other-token=1"]}}
    project(tmp_path, monkeypatch, "spf: none\ndmarc: {policy: reject}\n", live)
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert '- "v=DMARC1; p=none"' in out and '+ "v=DMARC1; p=reject"' in out
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    assert sorted(state["_dmarc"]["values"]) == ["other-token=1", "v=DMARC1; p=reject"]
    assert run("plan", "--exit-code")[0] == 0


def test_dmarc_unset_is_the_specs_consent_to_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"_dmarc": {"type": "TXT", "value": "v=DMARC1; p=reject"}}
    project(tmp_path, monkeypatch, "spf: none\n", live)
    code, out, _ = run("plan")
    assert code == 0
    assert "_dmarc.example.org. loses its DMARC record [refused without" in out
    assert run("apply", "--yes")[0] == 2
    assert live_state(tmp_path) == live
    (tmp_path / "zones" / "example.org.yaml").write_text("spf: none\ndmarc: unset\n")
    code, out, _ = run("plan")
    assert code == 0
    assert "_dmarc.example.org. loses its DMARC record" in out and "refused" not in out
    assert run("apply", "--yes")[0] == 0
    assert "_dmarc" not in str(live_state(tmp_path))


def test_tls_rpt_unset_at_a_subdomain_consents_at_its_owner_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"_smtp._tls.eu": {"type": "TXT", "value": "v=TLSRPTv1; rua=mailto:t@example.org"}}
    project(tmp_path, monkeypatch, "spf: none\n", live)
    code, out, _ = run("plan")
    assert code == 0
    assert "_smtp._tls.eu.example.org. loses its TLS-RPT record [refused without" in out
    spec = "spf: none\nsubdomains:\n  eu: {tls_rpt: unset}\n"
    (tmp_path / "zones" / "example.org.yaml").write_text(spec)
    code, out, _ = run("plan")
    assert code == 0
    assert "_smtp._tls.eu.example.org. loses its TLS-RPT record\n" in out
    assert run("apply", "--yes")[0] == 0
    assert "_smtp._tls" not in str(live_state(tmp_path))


def test_plan_says_what_the_dmarc_and_tls_rpt_changes_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {
        "_dmarc": {
            "type": "TXT",
            "values": ["v=DMARC1; p=none; rua=mailto:old@example.org", "x=1"],
        },
        "_smtp._tls": {"type": "TXT", "value": "v=TLSRPTv1; rua=mailto:t@example.org"},
    }
    spec = (
        "spf: none\n"
        "dmarc: {policy: reject, subdomain_policy: quarantine, rua: [mailto:agg@example.org]}\n"
        "tls_rpt: {rua: [mailto:t@example.org, https://r.example.org/tlsrpt]}\n"
        "subdomains:\n  eu: {spf: none, dmarc: {policy: quarantine}}\n"
    )
    project(tmp_path, monkeypatch, spec, live)
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert (
        "  DMARC:\n"
        "    _dmarc.eu.example.org. new record (p=quarantine)\n"
        "    _dmarc.example.org. p: none → reject\n"
        "    _dmarc.example.org. sp + quarantine\n"
        "    _dmarc.example.org. rua + mailto:agg@example.org\n"
        "    _dmarc.example.org. rua − mailto:old@example.org\n"
        "  TLS-RPT:\n"
        "    _smtp._tls.example.org. rua + https://r.example.org/tlsrpt\n"
    ) in out
    code, out, _ = run("plan", "--format", "markdown")
    assert code == 0
    assert (
        "**DMARC**\n\n| Name | Change |\n|---|---|\n"
        "| `_dmarc.eu.example.org.` | `new record (p=quarantine)` |\n"
        "| `_dmarc.example.org.` | `p: none → reject`<br>`sp + quarantine`<br>"
        "`rua + mailto:agg@example.org`<br>`rua − mailto:old@example.org` |\n"
    ) in out
    assert "**TLS-RPT**" in out
    # the words are for people: the JSON plan carries the values, and no new keys
    code, out, _ = run("plan", "--format", "json")
    target = json.loads(out)["targets"][0]
    assert "dmarc" not in target and "tls_rpt" not in target and "dkim" in target
    assert run("apply", "--yes")[0] == 0
    code, out, _ = run("plan")
    assert (code, "DMARC:" in out) == (0, False)


PROVIDERS_DOC = Path(__file__).resolve().parents[2] / "docs" / "providers.md"


def test_the_documented_plan_example_is_what_plan_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fences = re.findall(r"^```(\w*)\n(.*?)^```$", PROVIDERS_DOC.read_text(), re.S | re.M)
    live = next(body for lang, body in fences if body.startswith("# live: .dnsspec-live/"))
    spec = next(body for lang, body in fences if body.startswith("# zones/example.org.yaml"))
    shown = next(body for lang, body in fences if lang == "text" and "  DMARC:\n" in body)
    project(tmp_path, monkeypatch, spec, yaml.safe_load(live))
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert out == shown
