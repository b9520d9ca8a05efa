"""Print the benchmark results as two plain-text tables."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

# The one known cause of disagreement with pyspf, checked case by case on the benchmark
# portfolio (docs/spf-engine.md, "Differences from pyspf").
VOID_DIFFERENCE = (
    "pyspf counts an MX host's empty AAAA answer as a void lookup; RFC 7208 §4.6.4 counts terms"
)


def _known_void_difference(agree: dict[str, Any]) -> bool:
    """Whether every difference has that cause's signature: an IPv6 client, pyspf permerror."""
    cases = agree["differences"]
    return len(cases) == agree["differ"] and all(
        ip_address(c["ip"]).version == 6 and c["pyspf"] == "permerror" != c["this"] for c in cases
    )


def print_report(results: dict[str, Any]) -> None:
    p = results["portfolio"]
    print(
        f"\ndnsspec benchmark, {results['date_utc']}, {results['machine']['cpus']} CPUs, "
        f"Python {results['machine']['python']}"
    )
    print(
        f"portfolio: {p['customers']} customer domains, {p['providers']} provider trees, "
        f"{p['over_lookup_limit']} over the 10-lookup limit, {p['with_void_lookups']} with "
        f"void lookups ({p['over_void_limit']} over the void limit), "
        f"{p['zone_records']} records served by BIND 9"
    )

    lint = results["lint"]
    stat = lint["checkdmarc"].get("statistic", "one run")
    print(f"\n1. Lint the portfolio with lookups resolved (whole commands; wall time: {stat})")
    print(f"   {'command':<44} {'wall s':>8} {'peak RSS MiB':>13} {'exit':>5}")
    for label, key in (
        ("dnsspec lint --resolve", "dnsspec"),
        ("checkdmarc check_spf per domain (sequential)", "checkdmarc"),
    ):
        run = lint[key]
        if "wall_s" in run:
            print(
                f"   {label:<44} {run['wall_s']:>8.2f} {run['max_rss_mib']:>13.1f} "
                f"{run['returncode']:>5}"
            )
        else:
            print(f"   {label:<44} {'-':>8} {'-':>13} {'-':>5}   ({run.get('unavailable')})")
    for label, run in lint.get("baselines", {}).items():
        if "wall_s" in run:
            label = f"  baseline: {label}"
            print(
                f"   {label:<44} {run['wall_s']:>8.2f} {run['max_rss_mib']:>13.1f} "
                f"{run['returncode']:>5}"
            )
        else:
            print(f"     baseline: {label}: {run.get('unavailable')}")
    compiled = lint.get("baselines", {}).get("dnsspec compile", {})
    if "spf_records_differing" in compiled:
        print(
            f"   the specs compile to the SPF records BIND serves: "
            f"{compiled['spf_records_equal_to_served']} equal, "
            f"{compiled['spf_records_differing']} differ"
        )
    if "speedup" in lint:
        verdict = "meets" if lint["speedup"] >= 10 else "MISSES"
        print(
            f"   dnsspec is {lint['speedup']:.1f}x faster than checkdmarc ({verdict} the 10x "
            f"target); peak RSS checkdmarc/dnsspec = {lint['rss_ratio']:.2f}"
        )
    summary = lint["checkdmarc"].get("summary")
    if summary:
        print(
            f"   checkdmarc: {summary['valid']} valid, {summary['over_lookup_limit']} over the "
            f"lookup limit"
        )
    codes = lint["dnsspec"].get("findings_by_code")
    if codes:
        print(f"   dnsspec findings by code: {codes}")

    evals = results["check_host"]
    runs_ = next(iter(evals.get("runs", {}).values()), {})
    how = runs_.get("statistic", "one run each") if isinstance(runs_, dict) else "one run each"
    print(f"\n2. check_host throughput (timed loop only, imports excluded; {how}, interleaved)")
    print(f"   {'runner':<46} {'evals/s':>9} {'loop s':>8} {'vs pyspf':>9} {'agree':>10}")
    ratios = evals.get("ratios_vs_pyspf_fresh", {})
    agreement = evals.get("agreement_with_pyspf", {})
    for label, run in evals["runs"].items():
        if "per_s" not in run:
            print(f"   {label:<46} {'-':>9}   ({run.get('unavailable') or run.get('error')})")
            continue
        ratio = ratios.get(label)
        agree = agreement.get(label)
        agree_text = f"{agree['agree']}/{run['evaluations']}" if agree else "reference"
        ratio_text = f"{ratio:.2f}x" if ratio is not None else "1.00x"
        print(
            f"   {label:<46} {run['per_s']:>9.0f} {run['loop_s']:>8.2f} {ratio_text:>9} "
            f"{agree_text:>10}"
        )
    for label, agree in agreement.items():
        if agree["differ"]:
            print(f"   {label}: {agree['differ']} results differ from pyspf, e.g.:")
            for case in agree["differences"][:3]:
                print(
                    f"     {case['ip']} {case['sender']}: pyspf {case['pyspf']}, "
                    f"dnsspec {case['this']}"
                )
            if _known_void_difference(agree):
                print(f"     why: {VOID_DIFFERENCE}")
    print(f"\nbench took {results['bench_seconds']:.0f}s")
