"""A selector taken out of the spec is deleted only when dnsspec published it (issue #11).

Against the embedded YamlProvider target: the marker ``_dnsspec._domainkey`` lists
the selectors dnsspec published; a foreign selector (there before, never in a spec)
stays whatever happens.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from plan_project import live_state, project, run

from dnsspec.dkim.keygen import generate
from dnsspec.dkim.published import parse_marker, render_marker, split_owner
from dnsspec.dkim.syntax import render

ED = base64.b64encode(generate("ed25519").public_key).decode()
RSA = base64.b64encode(generate("rsa", 2048).public_key).decode()
FOREIGN = render(generate("ed25519").record())


def _spec(tmp: Path, body: str) -> None:
    (tmp / "zones" / "example.org.yaml").write_text(f"spf: none\n{body}")


def test_a_removed_selector_goes_only_if_dnsspec_published_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = (
        f"dkim:\n  s1: {{key_type: ed25519, public_key: {ED}}}\n"
        f'  s2: "v=DKIM1; k=rsa; p={RSA}"\n  esp: {{cname: s1.esp.example.net.}}\n'
    )
    live = {"google._domainkey": {"type": "TXT", "value": FOREIGN}}
    project(tmp_path, monkeypatch, f"spf: none\n{both}", live)
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert '+ "v=dnsspec1 selectors=esp s1 s2"' in out  # the marker it will write
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    assert state["_dnsspec._domainkey"]["value"] == "v=dnsspec1 selectors=esp s1 s2"

    # s2 and esp leave the spec: both were published by dnsspec, google never was
    _spec(tmp_path, f"dkim:\n  s1: {{key_type: ed25519, public_key: {ED}}}\n")
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert "s2._domainkey.example.org. removed (was rsa 2048)" in out
    assert "esp._domainkey.example.org. removed (was CNAME s1.esp.example.net.)" in out
    assert "google" not in out  # a foreign selector: no change, nothing to say
    assert RSA not in out  # the plan never prints the whole key
    assert "s2._domainkey.example.org. loses its DKIM record [refused" in out
    assert "write `s2: unset` under `dkim:`" in out
    code, _, err = run("apply", "--yes")
    assert code == 2 and "`s2: unset` under `dkim:`" in err  # removal needs consent

    # the selector's own `unset` is the consent
    _spec(tmp_path, f"dkim:\n  s1: {{key_type: ed25519, public_key: {ED}}}\n  s2: unset\n")
    code, out, _ = run("plan")
    assert code == 0 and "the spec says so (`s2: unset` under `dkim:`)" in out
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    assert "s2._domainkey" not in state and "esp._domainkey" not in state
    assert "s1._domainkey" in state
    assert state["google._domainkey"]["value"] == FOREIGN
    assert state["_dnsspec._domainkey"]["value"] == "v=dnsspec1 selectors=s1"
    assert run("plan", "--exit-code")[0] == 0


def test_a_selector_published_before_the_marker_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No marker lists it (an older dnsspec, or a hand-edited marker): it is kept."""
    old = f"v=DKIM1; k=rsa; p={RSA}"
    live = {
        "s2._domainkey": {"type": "TXT", "value": old},
        "_dnsspec._domainkey": {"type": "TXT", "value": "v=dnsspec1 selectors=s1"},
    }
    project(
        tmp_path,
        monkeypatch,
        f"spf: none\ndkim:\n  s1: {{key_type: ed25519, public_key: {ED}}}\n",
        live,
    )
    code, out, _ = run("plan")
    assert code == 0 and "s2._domainkey" not in out
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict) and state["s2._domainkey"]["value"] == old


def test_the_whole_dkim_key_removed_deletes_what_dnsspec_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {
        "s1._domainkey": {"type": "TXT", "value": f"v=DKIM1; k=ed25519; p={ED}"},
        "other._domainkey": {"type": "TXT", "value": FOREIGN},
        "_dnsspec._domainkey": {"type": "TXT", "value": "v=dnsspec1 selectors=s1"},
    }
    project(tmp_path, monkeypatch, "spf: none\n", live)
    assert run("apply", "--yes", "--allow-policy-removal")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    assert set(state) == {"", "other._domainkey"}  # the marker went with its selector


def test_plan_text_and_markdown_shorten_keys_but_json_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, f'spf: none\ndkim:\n  s2: "v=DKIM1; k=rsa; p={RSA}"\n', {})
    code, out, _ = run("plan")
    assert code == 0 and RSA not in out
    assert f'"v=DKIM1; k=rsa; p={RSA[:12]}… (rsa 2048, sha256 ' in out
    code, out, _ = run("plan", "--format", "markdown")
    assert code == 0 and RSA not in out and "rsa 2048" in out
    code, out, _ = run("plan", "--format", "json")
    assert code == 0 and RSA in out  # machines get the record as published


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("s1._domainkey", ("s1", "_domainkey")),
        ("a.b._domainkey.news", ("a.b", "_domainkey.news")),
        ("S1._DomainKey.example.org.", ("s1", "_domainkey.example.org")),
        ("_domainkey", None),
        ("www", None),
    ],
)
def test_split_owner(name: str, parts: tuple[str, str] | None) -> None:
    assert split_owner(name) == parts


def test_marker_render_and_parse_are_inverses() -> None:
    assert parse_marker(render_marker(["s2", "S1", "s2"])) == {"s1", "s2"}
    assert render_marker(["s2", "s1"]) == "v=dnsspec1 selectors=s1 s2"
    assert parse_marker("v=DKIM1; p=") is None
