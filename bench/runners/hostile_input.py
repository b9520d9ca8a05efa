"""Issue 8's hostile-input bounds, each measured in a fresh interpreter.

Modes (one JSON document on stdout):
  ``parse BYTES``        parse a raw SPF string of about BYTES characters (many short
                         terms and one long literal, as a hostile record would carry);
  ``load RECORDS DIR``   write a spec with RECORDS records under DIR and load it: the
                         resident memory the loading adds, against the file's size.

usage: hostile_input.py MODE ARG [DIR]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_spf(size: int) -> str:
    """``v=spf1`` with ~size characters: ip4/a/include terms, then one long exp literal."""
    terms = ["v=spf1"]
    length = len(terms[0])
    i = 0
    while length < size * 3 // 4:
        term = (f"ip4:10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", f"a:h{i}.example.com")[i % 2]
        terms.append(term)
        length += len(term) + 1
        i += 1
    terms.append("exp=" + "x" * max(1, size - length - 10) + ".example")
    terms.append("-all")
    return " ".join(terms)


def parse(size: int) -> dict[str, object]:
    from dnsspec.spf.syntax import parse as parse_spf

    text = raw_spf(size)
    start = time.perf_counter()
    policy = parse_spf(text)
    seconds = time.perf_counter() - start
    return {"bytes": len(text), "terms": len(policy.terms), "seconds": seconds}


def spec_with_records(count: int) -> str:
    """About 38 bytes per record: 130,000 records make a 5 MB file."""
    lines = ["spf: none", "records:"]
    for i in range(count):
        host = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
        lines.append(f"  h{i:06d}: {{type: A, value: {host}}}")
    return "\n".join(lines) + "\n"


def load(count: int, directory: Path) -> dict[str, object]:
    import dnsspec.spec.load  # imports paid before the baseline

    spec = directory / "big.example.yaml"
    spec.write_text(spec_with_records(count))
    before = _rss_mib()
    start = time.perf_counter()
    try:
        zones = dnsspec.spec.load.load_zones([spec])
        outcome = f"loaded {len(zones)} zone"
    except Exception as error:  # a documented limit reached is an outcome too
        outcome = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    seconds = time.perf_counter() - start
    return {
        "bytes": spec.stat().st_size,
        "records": count,
        "seconds": seconds,
        "rss_before_mib": before,
        "rss_peak_mib": _rss_mib(),
        "outcome": outcome,
    }


def main() -> None:
    mode, arg = sys.argv[1], int(sys.argv[2])
    if mode == "parse":
        out = parse(arg)
    elif mode == "load":
        out = load(arg, Path(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
