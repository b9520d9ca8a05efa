"""checkdmarc over the portfolio, as its users run it: ``check_spf`` per domain.

checkdmarc has no parallel mode: its CLI and ``check_domains`` walk the domains
one after another, sharing its module-level DNS cache (``utils.DNS_CACHE``).
``check_spf`` is the SPF part of that walk (record, parse, nested lookup and
void counting), so both tools do the same job. Nameservers on a non-53 port are
given as dnspython ``Do53Nameserver`` objects, which checkdmarc accepts.

usage: checkdmarc_spf.py DOMAINS_FILE PORT  ->  one JSON summary on stdout
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import dns.nameserver
from checkdmarc.spf import check_spf


def main() -> None:
    domains_file, port = sys.argv[1], int(sys.argv[2])
    domains = [line.strip() for line in Path(domains_file).read_text().splitlines() if line.strip()]
    nameservers = [dns.nameserver.Do53Nameserver("127.0.0.1", port)]
    valid = 0
    over_limit = 0
    errors: Counter[str] = Counter()
    lookups: dict[str, int | None] = {}
    for domain in domains:
        result = check_spf(domain, nameservers=nameservers, timeout=2.0)
        count = result.get("dns_lookups")
        lookups[domain] = count
        if result.get("valid"):
            valid += 1
        else:
            errors[str(result.get("error", "?")).split(" (")[0][:60]] += 1
        if isinstance(count, int) and count > 10:
            over_limit += 1
    json.dump(
        {
            "domains": len(domains),
            "valid": valid,
            "over_lookup_limit": over_limit,
            "errors": dict(errors.most_common(8)),
            "lookups": lookups,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
