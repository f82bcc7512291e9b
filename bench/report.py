"""docs/benchmarks.md, written from the figures run_bench keeps in docs/bench/ (one file per
data-set size, the latest run of each): a section per size, then how each page and export
grew from the smallest size to the largest."""

import json
from pathlib import Path

from django.conf import settings

KEPT = Path(settings.BASE_DIR) / "docs" / "bench"
MARKDOWN = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
INTRO = (
    "Measured by `make bench` (`manage.py generate_bench_data` then `manage.py run_bench`) on "
    "the 2-core development machine; `make bench BENCH_HOUSEHOLDS=1000000 "
    "BENCH_DATABASE_URL=…/hardship_bench1m` measures the larger set. Server time is "
    "in-process through Django's test client (full middleware stack, no network); exports "
    "run as separate processes for their peak memory. The figures of the latest run of each "
    "size are kept in `docs/bench/households-N.json`, and this page is written from them."
)

TARGETS_MS = {
    "household list, page 1": 100,
    "household list, page 500": 100,
    "household detail": 100,
    "my inbox": 50,
    "statistics page": 100,
    "annual report page": 100,
}
# Requests per second through gunicorn on the 2-core machine.
THROUGHPUT_TARGETS = {"household list": 250, "household detail": 150, "mixed reads": 200}
# Page 500 (by its link) at most this many times page 1.
PAGE_500_RATIO = 1.5
# The annual workbook of one year: ≤ 10 s at 200,000 ledger rows, ≤ 60 s at 2,000,000, and
# ≤ 250 MB at both.
XLSX_PEAK_MB = 250
# Every page of the authorisation matrix, at p95.
MATRIX_MS = 100
# Between the two data sets (100,000 and 1,000,000 households) a page's p95 grows at most so.
GROWTH = 1.3


def xlsx_seconds(rows_in_year: int) -> int:
    return 10 if rows_in_year <= 300_000 else 60


def keep(results) -> Path:
    KEPT.mkdir(parents=True, exist_ok=True)
    path = KEPT / f"households-{results['data']['households']}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return path


def kept() -> list[dict]:
    runs = [json.loads(path.read_text()) for path in KEPT.glob("households-*.json")]
    return sorted(runs, key=lambda results: results["data"]["households"])


def write_markdown() -> None:
    runs = kept()
    lines = ["# Benchmarks", "", INTRO]
    for results in runs:
        lines += ["", *scale_section(results)]
    if len(runs) > 1:
        lines += ["", *growth_section(runs[0], runs[-1])]
    existing = MARKDOWN.read_text() if MARKDOWN.exists() else ""
    notes = existing.split("## Notes", 1)[1] if "## Notes" in existing else "\n"
    MARKDOWN.write_text("\n".join(lines) + "\n\n## Notes" + notes)


def growth_section(small, large) -> list[str]:
    sizes = f"{small['data']['households']:,} to {large['data']['households']:,} households"
    lines = [
        f"## Growth from {sizes}",
        "",
        "| page | p95 ms, smaller | p95 ms, larger | growth | target |",
        "|---|---:|---:|---:|---|",
    ]
    for label, figures in large["pages"].items():
        before = small["pages"].get(label)
        if before is None:
            continue
        growth = round(figures["p95_ms"] / (before["p95_ms"] or 0.1), 2)
        target = (
            ""
            if label not in TARGETS_MS
            else (f"≤ {GROWTH}×: " + ("met" if growth <= GROWTH else "MISSED"))
        )
        lines.append(
            f"| {label} | {before['p95_ms']} | {figures['p95_ms']} | {growth}× | {target} |"
        )
    lines += matrix_growth(small.get("matrix", {}), large.get("matrix", {}))
    lines += ["", "| export | smaller | larger | growth |", "|---|---:|---:|---:|"]
    for label, figures in large["exports"].items():
        before = small["exports"].get(label, {})
        if figures.get("seconds") is None or before.get("seconds") is None:
            continue
        growth = round(figures["seconds"] / (before["seconds"] or 0.001), 1)
        lines.append(
            f"| {label}, seconds | {before['seconds']} | {figures['seconds']} | {growth}× |"
        )
        if "peak_mb" in figures:
            lines.append(f"| {label}, peak MB | {before['peak_mb']} | {figures['peak_mb']} | |")
    return lines


def scale_section(results) -> list[str]:
    data = results["data"]
    lines = [
        f"## {data['households']:,} households",
        "",
        f"Data: {data['households']:,} households, {data['ledger_rows']:,} ledger rows "
        f"({data['ledger_rows_in_year']:,} in {data['year']}), {data['database']}.",
        "",
        "| page | median ms | p95 ms | queries | × minimal view | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, figures in results["pages"].items():
        target = TARGETS_MS.get(label)
        verdict = (
            ""
            if target is None
            else (f"p95 ≤ {target} ms: " + ("met" if figures["p95_ms"] <= target else "MISSED"))
        )
        lines.append(
            f"| {label} | {figures['median_ms']} | {figures['p95_ms']} | {figures['queries']} | "
            f"{figures['x_minimal_view']} | {verdict} |"
        )
    first, deep = (
        results["pages"]["household list, page 1"],
        results["pages"]["household list, page 500"],
    )
    ratio = round(deep["median_ms"] / (first["median_ms"] or 0.1), 2)
    lines += [
        "",
        f"Household list page 500 by its link: {ratio}× page 1 (target ≤ {PAGE_500_RATIO}×: "
        + ("met" if ratio <= PAGE_500_RATIO else "MISSED")
        + ").",
    ]
    lines += matrix_section(results.get("matrix", {}))
    lines += ["", "| export | seconds | peak MB | size | notes |", "|---|---:|---:|---:|---|"]
    xlsx = results["exports"]["annual xlsx"]
    seconds = xlsx_seconds(data["ledger_rows_in_year"])
    pdf = results["exports"]["annual pdf"]
    copy = results["exports"]["COPY ledger rows to csv (baseline)"]
    lines.append(
        f"| annual xlsx ({data['ledger_rows_in_year']:,} ledger rows) | {xlsx['seconds']} | {xlsx['peak_mb']} | "
        f"{xlsx['bytes']:,} | target ≤ {seconds} s and ≤ {XLSX_PEAK_MB} MB: "
        f"{'met' if xlsx['seconds'] <= seconds and xlsx['peak_mb'] <= XLSX_PEAK_MB else 'MISSED'}; "
        f"{xlsx.get('x_copy')}× COPY |"
    )
    lines.append(
        f"| annual pdf (summary) | {pdf['seconds']} | {pdf['peak_mb']} | {pdf['bytes']:,} | target ≤ 10 s: "
        f"{'met' if pdf['seconds'] <= 10 else 'MISSED'} |"
    )
    lines.append(
        f"| COPY … TO STDOUT csv (baseline) | {copy['seconds']} | | {copy.get('bytes', 0):,} | PostgreSQL alone |"
    )
    plan = results["writes"]["plan of 5,000 lines posted"]
    lines += [
        "",
        f"A plan of {plan['lines']:,} lines posted (`funds.plans.plan_post`, rolled back "
        f"after): {plan['seconds']} s, {plan['queries']} queries (target ≤ 10 s: "
        + ("met" if plan["seconds"] <= 10 else "MISSED")
        + ").",
    ]
    roster = results["writes"]["roster import of 10,000 rows"]
    if "errors" in roster:
        lines += ["", f"Roster import of {roster['rows']:,} rows refused: {roster['errors']}"]
    else:
        both = roster["preview_seconds"] + roster["commit_seconds"]
        lines += [
            "",
            f"A roster import of {roster['rows']:,} rows (`reports.imports`, as a company "
            f"reviewer, rolled back after): preview {roster['preview_seconds']} s, commit "
            f"{roster['commit_seconds']} s with {roster['queries']} queries (target ≤ 30 s "
            "for both: " + ("met" if both <= 30 else "MISSED") + ").",
        ]
    for label, figures in results.get("background", {}).items():
        lines += [
            "",
            f"{label} (`audit.kept.count`, the background count the checks page reads): "
            f"{figures['seconds']} s, {figures['findings']:,} findings.",
        ]
    if "composition" in results:
        recount = results["composition"]
        lines += [
            "",
            f"The registry's composition (`households.composition`) of the union with the most "
            f"files ({recount['files']:,}): counted in full {recount['full_ms']} ms (a new day; "
            f"the nightly `count_registry` does it), counted again after one of its files "
            f"changed {recount['one_file_changed_ms']} ms (one part in 16): the first statistics "
            "page or dashboard after a change in a union pays this once; the walk's pages read "
            "the counts kept after the walk's records.",
        ]
    rates = results["throughput"]
    if "note" not in rates:
        lines += [
            "",
            "| gunicorn, 2 workers, wrk on the same machine | requests/s | non-2xx | target |",
            "|---|---:|---:|---|",
        ]
        for label, figures in rates.items():
            target = THROUGHPUT_TARGETS.get(label)
            verdict = (
                ""
                if target is None
                else f"≥ {target}: "
                + ("met" if (figures["requests_per_s"] or 0) >= target else "MISSED")
            )
            lines.append(
                f"| {label} | {figures['requests_per_s']} | {figures['non_2xx']} | {verdict} |"
            )
    return lines


def _timed(matrix: dict) -> dict:
    return {name: figures for name, figures in matrix.items() if "p95_ms" in figures}


def matrix_section(matrix: dict) -> list[str]:
    """Every page of the authorisation matrix (bench/matrix.py), slowest first."""
    if not matrix:
        return []
    timed = sorted(_timed(matrix).items(), key=lambda item: -item[1]["p95_ms"])
    missed = [name for name, figures in timed if figures["p95_ms"] > MATRIX_MS]
    lines = [
        "",
        f"Every page of the authorisation matrix, as the first bench user who may see it: "
        f"{len(timed)} pages timed, {len(missed)} over {MATRIX_MS} ms at p95"
        + (f" ({', '.join(missed)})." if missed else "."),
        "",
        "| page (URL name) | as | median ms | p95 ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {f['as']} | {f['median_ms']} | {f['p95_ms']} | {f['queries']} |"
        for name, f in timed
    ]
    reasons: dict[str, list[str]] = {}
    for name, figures in matrix.items():
        if "not_measured" in figures:
            reasons.setdefault(figures["not_measured"], []).append(name)
    lines += ["", "Not timed:", ""]
    lines += [f"- {reason}: {', '.join(names)}" for reason, names in sorted(reasons.items())]
    return lines


def matrix_growth(small: dict, large: dict) -> list[str]:
    """The matrix's pages whose p95 grew past the target between the two sizes."""
    before, after = _timed(small), _timed(large)
    both = [name for name in after if name in before]
    if not both:
        return []
    grown = [
        (name, before[name]["p95_ms"], after[name]["p95_ms"])
        for name in both
        if after[name]["p95_ms"] > GROWTH * before[name]["p95_ms"]
    ]
    lines = [
        "",
        f"Pages of the matrix timed at both sizes: {len(both)}; grown more than {GROWTH}×: "
        f"{len(grown)}.",
    ]
    if grown:
        lines += ["", "| page (URL name) | p95 ms, smaller | p95 ms, larger | growth |"]
        lines += ["|---|---:|---:|---:|"]
        lines += [
            f"| {name} | {small_ms} | {large_ms} | {round(large_ms / (small_ms or 0.1), 2)}× |"
            for name, small_ms, large_ms in sorted(grown, key=lambda row: row[1] - row[2])
        ]
    return lines
