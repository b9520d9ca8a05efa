"""DMARC policy discovery and the Tree Walk (RFC 9989 §4.10) over a TXT callback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dnsspec.dmarc.discovery import (
    discover_policy,
    organizational_domain,
    record_at,
    tree_walk,
    walk_targets,
)


class Txt:
    """TXT data by name, recording every name asked (the walk's queries)."""

    def __init__(self, data: Mapping[str, Sequence[str]]) -> None:
        self.data = data
        self.asked: list[str] = []

    def __call__(self, name: str) -> Sequence[str]:
        self.asked.append(name)
        return self.data.get(name, ())


def test_walk_targets_follow_the_rfc_example() -> None:
    assert walk_targets("a.b.c.d.e.f.g.h.i.j.mail.example.com") == [
        "a.b.c.d.e.f.g.h.i.j.mail.example.com",
        "g.h.i.j.mail.example.com",
        "h.i.j.mail.example.com",
        "i.j.mail.example.com",
        "j.mail.example.com",
        "mail.example.com",
        "example.com",
        "com",
    ]
    assert walk_targets("a.mail.example.com") == [
        "a.mail.example.com",
        "mail.example.com",
        "example.com",
        "com",
    ]
    eight = "a.b.c.d.e.f.example.com"
    assert walk_targets(eight)[1] == "b.c.d.e.f.example.com"
    assert len(walk_targets("x." * 30 + "example.com")) == 8


def test_organizational_domain_examples_of_rfc9989() -> None:
    both = Txt(
        {
            "_dmarc.mail.example.com": ["v=DMARC1; p=none; rua=mailto:a@example.com"],
            "_dmarc.example.com": ["v=DMARC1; p=reject"],
        }
    )
    assert organizational_domain("a.mail.example.com", both) == "example.com"
    psd_n = Txt({"_dmarc.mail.example.com": ["v=DMARC1; p=none; psd=n"]})
    assert organizational_domain("a.mail.example.com", psd_n) == "mail.example.com"
    assert psd_n.asked == ["_dmarc.a.mail.example.com", "_dmarc.mail.example.com"]  # stops
    psd_y = Txt({"_dmarc.com": ["v=DMARC1; psd=y; p=none"]})
    assert organizational_domain("a.mail.example.com", psd_y) == "example.com"
    assert organizational_domain("a.mail.example.com", Txt({})) == "a.mail.example.com"


def test_discovery_bank_example() -> None:
    txt = Txt(
        {
            "_dmarc.bank.example": ["v=DMARC1; psd=y; p=reject; np=reject"],
            "_dmarc.giant.bank.example": ["v=DMARC1; p=quarantine; sp=none"],
        }
    )
    own = discover_policy("giant.bank.example", txt)
    assert own is not None
    assert (own.policy_domain, own.policy, own.source) == ("giant.bank.example", "quarantine", "p")
    sub = discover_policy("mail.giant.bank.example", txt)
    assert sub is not None
    assert (sub.policy_domain, sub.policy, sub.source) == ("giant.bank.example", "none", "sp")
    other = discover_policy("mail.mega.bank.example", txt, exists=False)
    assert other is not None  # no org record: the PSD's record applies
    assert (other.policy_domain, other.policy, other.source) == ("bank.example", "reject", "np")


def test_discovery_rules_for_missing_p_duplicates_and_testing() -> None:
    assert discover_policy("example.com", Txt({})) is None
    dup = Txt({"_dmarc.example.com": ["v=DMARC1; p=reject", "v=DMARC1; p=none"]})
    assert record_at("example.com", dup) is None
    assert discover_policy("example.com", dup) is None
    mixed = Txt({"_dmarc.example.com": ["google-site-verification=x", "v=DMARC1; p=reject; t=y"]})
    found = discover_policy("example.com", mixed)
    assert found is not None and found.policy == "reject" and found.testing
    rua_only = Txt({"_dmarc.example.com": ["v=DMARC1; rua=mailto:d@example.com"]})
    found = discover_policy("example.com", rua_only)
    assert found is not None and found.policy == "none"
    psd_only = Txt({"_dmarc.example.com": ["v=DMARC1; psd=n"]})
    assert discover_policy("example.com", psd_only) is None  # §4.10.1: no p, no rua
    broken = Txt({"_dmarc.example.com": ["v=DMARC1; p=bogus"]})
    assert discover_policy("example.com", broken) is None
    np_fallback = Txt({"_dmarc.example.com": ["v=DMARC1; p=reject; sp=quarantine"]})
    found = discover_policy("gone.example.com", np_fallback, exists=False)
    assert found is not None and (found.policy, found.source) == ("quarantine", "sp")
    assert [name for name, _ in tree_walk("x.example.com", np_fallback)] == ["example.com"]
