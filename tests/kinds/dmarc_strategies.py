"""Hypothesis strategies for DMARC and TLS-RPT records.

Import from tests under ``tests/kinds`` as ``from dmarc_strategies import …``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dnsspec.dmarc.syntax import DmarcRecord
from dnsspec.dmarc.uris import ReportUri

_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
domains = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
_local = st.from_regex(r"[a-z0-9][a-z0-9.+_-]{0,10}", fullmatch=True).filter(
    lambda s: not s.endswith(".")
)
mailto = st.builds(lambda local, domain: f"mailto:{local}@{domain}", _local, domains)
https = st.builds(
    lambda host, path: f"https://{host}/{path}",
    domains,
    st.from_regex(r"[a-z0-9/_-]{0,12}", fullmatch=True),
)
_size = st.none() | st.from_regex(r"[1-9][0-9]{0,2}[kmgt]?", fullmatch=True)
report_uris = st.builds(ReportUri, mailto | https, _size)
tlsrpt_uris = st.builds(ReportUri, mailto | https)
_policy = st.sampled_from(["none", "quarantine", "reject"])
_fo = st.sampled_from(
    [(), ("0",), ("1",), ("d",), ("s",), ("1", "d"), ("0", "s"), ("d", "s", "1"), ("s", "0", "d")]
)
_extra_name = st.sampled_from(["pct", "rf", "ri", "x", "foo", "Bar", "bimi"])
_extra_value = st.from_regex(r"[!-:<-~]([ !-:<-~]{0,8}[!-:<-~])?", fullmatch=True)


@st.composite
def dmarc_records(draw: st.DrawFn) -> DmarcRecord:
    rua = tuple(draw(st.lists(report_uris, max_size=3)))
    psd = draw(st.none() | st.sampled_from(["y", "n", "u"]))
    policy = draw(_policy if not (rua or psd) else st.none() | _policy)
    names = draw(st.lists(_extra_name, max_size=3, unique_by=str.lower))
    extra = tuple((name, draw(_extra_value)) for name in names)
    return DmarcRecord(
        policy=policy,
        subdomain_policy=draw(st.none() | _policy),
        nonexistent_policy=draw(st.none() | _policy),
        psd=psd,
        testing=draw(st.none() | st.sampled_from(["y", "n"])),
        adkim=draw(st.none() | st.sampled_from(["r", "s"])),
        aspf=draw(st.none() | st.sampled_from(["r", "s"])),
        fo=draw(_fo),
        rua=rua,
        ruf=tuple(draw(st.lists(report_uris, max_size=2))),
        extra=extra,
    )
