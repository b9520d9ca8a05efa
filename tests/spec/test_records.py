"""The throwaway octoDNS zones records are validated and rendered against."""

from __future__ import annotations

import pytest


def test_octodns_zone_copies_behave_as_real_zones() -> None:
    from octodns.zone import Zone

    from dnsspec.spec.records import octodns_zone

    for name in ("example.com.", "exämple.org.", "a.b.example.net."):
        real, ours = Zone(name, []), octodns_zone(name)
        assert (ours.name, ours.decoded_name) == (real.name, real.decoded_name)
        for fqdn in (f"www.{name}", name, f"x.y.{real.name}", "other.example."):
            assert ours.hostname_from_fqdn(fqdn) == real.hostname_from_fqdn(fqdn)
        assert not ours.records
    assert octodns_zone("a.example.") is not octodns_zone("b.example.")
    with pytest.raises(Exception, match="double dot"):
        octodns_zone("bad..example.")
