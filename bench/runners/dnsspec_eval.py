"""dnsspec's evaluator over the evaluation cases, against the benchmark server.

Modes:
  ``check_host``  the public sync API, one call per case (its own resolver each time);
  ``evaluate``    the async ``evaluate`` with one shared ``DnsResolver`` (shared
                  cache), the cases run concurrently (at most CONCURRENCY at once).

usage: dnsspec_eval.py CASES_JSONL PORT MODE  ->  one JSON document on stdout
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

CONCURRENCY = 64


def run_check_host(cases: list[dict[str, str]], address: str) -> list[str]:
    from dnsspec.spf import check_host

    return [
        check_host(c["ip"], c["sender"], c["helo"], nameservers=[address], timeout=2.0).result
        for c in cases
    ]


async def run_evaluate(cases: list[dict[str, str]], address: str) -> list[str]:
    from dnsspec.lookups import DnsResolver
    from dnsspec.spf.evaluate import evaluate

    resolver = DnsResolver(nameservers=[address], timeout=2.0)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(case: dict[str, str]) -> str:
        async with gate:
            evaluation: Any = await evaluate(
                case["ip"], case["sender"], case["helo"], lookup=resolver
            )
            return str(evaluation.result)

    return list(await asyncio.gather(*(one(c) for c in cases)))


def main() -> None:
    cases_file, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cases = [json.loads(line) for line in Path(cases_file).read_text().splitlines() if line.strip()]
    address = f"127.0.0.1:{port}"
    # Imports are not part of the timed loop, as pyspf_eval.py imports spf and
    # dns.resolver (which loads dns.message, dns.query …) before its clock starts: the
    # evaluator, both drivers and the dnspython modules they import on first use.
    import dns.flags
    import dns.message
    import dns.rcode
    import dns.rdatatype  # noqa: F401

    import dnsspec.lookups.asynchronous
    import dnsspec.lookups.blocking
    import dnsspec.spf.evaluate  # noqa: F401

    start = time.perf_counter()
    if mode == "check_host":
        results = run_check_host(cases, address)
    else:
        results = asyncio.run(run_evaluate(cases, address))
    seconds = time.perf_counter() - start
    json.dump({"evaluations": len(cases), "seconds": seconds, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
