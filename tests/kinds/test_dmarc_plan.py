"""dmarc: through plan and apply against the embedded YamlProvider target."""

from __future__ import annotations

from pathlib import Path

import pytest
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
