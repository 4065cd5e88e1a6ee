"""Compare ``bench_sweep`` and ``bench_pages`` between two checkouts of the portal on one
machine in one session (docs/performance.md, "Comparing two versions").

    python3 protocol_portal/bench/compare.py BEFORE_DIR AFTER_DIR [--runs 3] [--enquiries 200000] …

Standard library only: it runs each checkout's own ``manage.py`` with that checkout's
``.venv`` (made by its ``bin/_bootstrap.sh`` if missing). For each side it rebuilds a
database of its own (``benchbefore``, ``benchafter`` on ``--postgres``), runs
``migrate``, ``seed_demo`` and ``seed_scale`` at the sizes given, then takes turns: each
run measures both sides, the order swapped every run so that a busy minute of a shared
machine does not always fall on the same side. Raw outputs go to ``--out``; the summary
gives medians across runs.

bench_pages runs on both sides with ``SECURE_SSL_REDIRECT=false TWO_FACTOR_ENFORCED=false``,
the only way the bench_pages of before issue 14 got 200s with DEBUG off (it requested over
http and knew no two-factor code); the after side also runs with production's defaults,
which its bench_pages sets up for its own requests. A page that answers anything but 200
on either side stops the comparison.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIDES = ("before", "after")
# The environment in which both versions' bench_pages measure the same thing (see above).
COMPARABLE = {"SECURE_SSL_REDIRECT": "false", "TWO_FACTOR_ENFORCED": "false"}
# A row of bench_pages --markdown: | page | `account` | p50 | p95 | queries | target |
ROW = re.compile(
    r"^\|\s*(?P<page>[^|]+?)\s*\|\s*`(?P<user>[^`]+)`\s*"
    r"\|(?P<p50>[^|]*)\|(?P<p95>[^|]*)\|(?P<queries>[^|]*)\|"
)
SWEEP = {
    "sweep, due (ms)": re.compile(r"^Sweep \(due\): ([\d,.]+) ms"),
    "outbox, telling (ms)": re.compile(r"^Telling members and new owners.*?: ([\d,.]+) ms"),
    "sweep, idle (ms)": re.compile(r"^Sweep \(idle\): ([\d,.]+) ms"),
    "sweep, due (SQL statements)": re.compile(r"^Sweep \(due\):.* (\d+) SQL statements"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="The checkout before the change.")
    parser.add_argument("after", type=Path, help="The checkout after it.")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each benchmark per side (default 3).")
    parser.add_argument("--enquiries", type=int, default=200_000, help="seed_scale --enquiries (default 200,000).")
    parser.add_argument("--concerns", type=int, default=10_000, help="seed_scale --concerns (default 10,000).")
    parser.add_argument("--sweep-enquiries", type=int, default=1_000_000, help="bench_sweep --enquiries (1,000,000).")
    parser.add_argument("--sweep-due", type=int, default=50_000, help="bench_sweep --due (default 50,000).")
    parser.add_argument("--repeat", type=int, default=30, help="bench_pages --repeat (default 30).")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server for the databases.")
    parser.add_argument("--out", type=Path, default=Path("var/bench-compare"), help="Raw outputs and the summary.")
    parser.add_argument("--keep", action="store_true", help="Reuse the seeded databases of an earlier comparison.")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    dirs = {"before": options.before.resolve(), "after": options.after.resolve()}
    for side in SIDES:
        if not (dirs[side] / "manage.py").exists():
            sys.exit(f"{dirs[side]} is not a checkout of the portal (no manage.py).")
        _bootstrap(dirs[side])
        if not options.keep:
            _seed(side, dirs[side], options)
    for run in range(1, options.runs + 1):
        for side in SIDES if run % 2 else tuple(reversed(SIDES)):
            _log(f"run {run}, {side}")
            sweep = [f"--enquiries={options.sweep_enquiries}", f"--due={options.sweep_due}"]
            _save(options.out / f"{side}-sweep-{run}.txt", _manage(side, dirs[side], options, "bench_sweep", *sweep))
            pages = ["--markdown", f"--repeat={options.repeat}"]
            output = _manage(side, dirs[side], options, "bench_pages", *pages, env=COMPARABLE)
            _save(options.out / f"{side}-pages-{run}.txt", output)
            if side == "after":
                output = _manage(side, dirs[side], options, "bench_pages", *pages)
                _save(options.out / f"after-pages-production-{run}.txt", output)
    text = summary(options)
    _save(options.out / "summary.md", text)
    print(text)


def _env(side: str, options, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_SSL_REDIRECT", "TWO_FACTOR_ENFORCED")}
    env.update(
        DATABASE_URL=f"{options.postgres}/bench{side}",
        SECRET_KEY=env.get("SECRET_KEY", "bench-compare-only"),
        DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def _manage(side: str, directory: Path, options, *args: str, env: dict[str, str] | None = None) -> str:
    command = [str(directory / ".venv/bin/python"), "manage.py", *args]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=directory, env=_env(side, options, env), capture_output=True, text=True, check=False
    )
    label = " ".join([*(f"{k}={v}" for k, v in (env or {}).items()), "manage.py", *args])
    _log(f"  {side}: {label}: {time.perf_counter() - started:,.0f} s")
    if done.returncode != 0:
        sys.exit(f"{side}: {label} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _bootstrap(directory: Path) -> None:
    subprocess.run(["bash", "-c", 'source bin/_bootstrap.sh && bootstrap_venv ""'], cwd=directory, check=True)


def _seed(side: str, directory: Path, options) -> None:
    """A fresh database for the side: migrate, seed_demo, seed_scale."""
    name = f"bench{side}"
    script = (
        "import sys, psycopg\n"
        "with psycopg.connect(sys.argv[1] + '/postgres', autocommit=True) as db:\n"
        f"    db.execute('DROP DATABASE IF EXISTS {name}')\n"
        f"    db.execute('CREATE DATABASE {name}')\n"
    )
    subprocess.run([str(directory / ".venv/bin/python"), "-c", script, options.postgres], check=True)
    _manage(side, directory, options, "migrate", "--verbosity=0")
    _save(options.out / f"{side}-seed_demo.txt", _manage(side, directory, options, "seed_demo"))
    scale = [f"--enquiries={options.enquiries}", f"--concerns={options.concerns}"]
    _save(options.out / f"{side}-seed_scale.txt", _manage(side, directory, options, "seed_scale", *scale))


def read_pages(path: Path) -> dict[tuple[str, str], tuple[float, float, int]]:
    """The rows of a bench_pages --markdown table: (page, account) -> (p50, p95, queries)."""
    rows = {}
    for line in path.read_text().splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        try:
            p50, p95 = (float(match[key].strip().removesuffix(" ms")) for key in ("p50", "p95"))
            queries = int(match["queries"])
        except ValueError:
            sys.exit(f"{path}: {match['page']} did not answer 200: {line}")
        rows[match["page"], match["user"]] = (p50, p95, queries)
    if not rows:
        sys.exit(f"{path}: no pages measured.")
    return rows


def read_sweep(path: Path) -> dict[str, float]:
    """The figures of a bench_sweep output (SWEEP's labels)."""
    figures = {}
    for line in path.read_text().splitlines():
        for label, pattern in SWEEP.items():
            match = pattern.search(line)
            if match:
                figures[label] = float(match[1].replace(",", ""))
    return figures


def read_seed_seconds(path: Path) -> str:
    """How long seed_scale took, from its last line ("seed_scale done in 123.4 s.")."""
    match = re.search(r"seed_scale done in ([\d,.]+) s", path.read_text()) if path.exists() else None
    return match[1] if match else "–"


def summary(options) -> str:
    """The medians across runs, as Markdown: the sweep's figures, then each page's."""
    runs = range(1, options.runs + 1)
    out = options.out
    lines = [
        f"# bench_sweep and bench_pages, before and after ({options.runs} runs each, medians)",
        "",
        f"bench_sweep --enquiries {options.sweep_enquiries} --due {options.sweep_due}; seed_scale --enquiries "
        f"{options.enquiries} --concerns {options.concerns}; bench_pages --repeat {options.repeat}.",
        "",
        "| measure | before | after |",
        "|---|---|---|",
    ]
    seeded = [read_seed_seconds(out / f"{side}-seed_scale.txt") for side in SIDES]
    lines.append(f"| seed_scale (s, once) | {seeded[0]} | {seeded[1]} |")
    sweeps = {side: [read_sweep(out / f"{side}-sweep-{run}.txt") for run in runs] for side in SIDES}
    for label in SWEEP:
        cells = [median([figures.get(label) for figures in sweeps[side]], digits=1) for side in SIDES]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    columns = {side: [read_pages(out / f"{side}-pages-{run}.txt") for run in runs] for side in SIDES}
    production = [read_pages(out / f"after-pages-production-{run}.txt") for run in runs]
    lines += [
        "",
        "p50 and p95 in ms, each the median across runs; before and after with SECURE_SSL_REDIRECT=false "
        "TWO_FACTOR_ENFORCED=false; the last columns are after with production's defaults.",
        "",
        "| page | signed in as | p50 before | p50 after | p95 before | p95 after | queries before / after "
        "| p50 production | p95 production | queries production |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, user in columns["after"][0]:
        key = (page, user)
        cell = {
            side: [median([rows.get(key, (None,) * 3)[i] for rows in columns[side]]) for i in range(3)]
            for side in SIDES
        }
        made = [median([rows.get(key, (None,) * 3)[i] for rows in production]) for i in range(3)]
        lines.append(
            f"| {page} | `{user}` | {cell['before'][0]} | {cell['after'][0]} | {cell['before'][1]} | "
            f"{cell['after'][1]} | {cell['before'][2]} / {cell['after'][2]} | {made[0]} | {made[1]} | {made[2]} |"
        )
    return "\n".join(lines) + "\n"


def median(values: list[float | None], *, digits: int = 0) -> str:
    """The median of the values given, "–" when there are none."""
    present = [value for value in values if value is not None]
    return f"{statistics.median(present):,.{digits}f}" if present else "–"


def _save(path: Path, text: str) -> None:
    path.write_text(text)


def _log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
