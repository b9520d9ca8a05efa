"""pyspf's ``check2`` over the evaluation cases, against the benchmark server.

pyspf resolves through dnspython's module-level API (``dns.resolver.query``),
so pointing it at 127.0.0.1:PORT is dnspython configuration: install a
``dns.resolver.Resolver`` with that nameserver and port as
``dns.resolver.default_resolver``. Nothing of pyspf is patched.

Modes: ``fresh`` is pyspf's natural usage (each ``check2`` starts with an empty
cache; dnspython's resolver has no cache by default); ``cached`` gives the
default resolver a ``dns.resolver.Cache`` shared by all evaluations.

usage: pyspf_eval.py CASES_JSONL PORT MODE  ->  one JSON document on stdout
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import dns.resolver
import spf


def main() -> None:
    cases_file, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cases = [json.loads(line) for line in Path(cases_file).read_text().splitlines() if line.strip()]
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    if mode == "cached":
        resolver.cache = dns.resolver.Cache()
    dns.resolver.default_resolver = resolver
    results = []
    start = time.perf_counter()
    for case in cases:
        result, _explanation = spf.check2(i=case["ip"], s=case["sender"], h=case["helo"])
        results.append(result)
    seconds = time.perf_counter() - start
    json.dump({"evaluations": len(cases), "seconds": seconds, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
