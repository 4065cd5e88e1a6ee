"""protocol_portal/bench/compare.py (issue 14): the before/after comparison reads both
versions' outputs, stops at a page that did not answer 200 in either's format, and
reports medians across runs."""

from argparse import Namespace

import pytest

from protocol_portal.bench.compare import read_pages, summary

HEADER = "| page | signed in as | p50 | p95 | queries | target (p95) |\n|---|---|---|---|---|---|\n"
SWEEP = (
    "Creating a throw-away database beside benchbefore…\n"
    "Built 1,000,000 open enquiries, 50,000 of them due to climb, in 78.6 s.\n"
    "Sweep (due): {due} ms, 50,000 climbs, 0 reminders, 35 SQL statements, 2 batches of up to 25,000.\n"
    "Telling members and new owners (outbox, after the sweep): 5,300.0 ms for 50,000 climbs, 100,000 notifications.\n"
    "Sweep (idle): 5.0 ms, 0 climbs, 0 reminders, 9 SQL statements, 0 batches of up to 25,000.\n"
)


def table(p50: int, p95: int, queries: int = 10) -> str:
    return HEADER + f"| My enquiries | `councillor` | {p50} ms | {p95} ms | {queries} | ≤ 50 ms |\n"


@pytest.mark.parametrize(
    "row",
    [
        "| My enquiries | `councillor` | – | – | – | ≤ 50 ms (HTTP 301) |",  # before issue 14
        "| My enquiries | `councillor` | FAILED: HTTP 302 to /sign-in/code/ | | | ≤ 50 ms |",  # after
    ],
    ids=["before", "after"],
)
def test_it_stops_at_a_page_that_did_not_answer_200(tmp_path, row):
    path = tmp_path / "pages.txt"
    path.write_text(HEADER + row + "\n")

    with pytest.raises(SystemExit, match="My enquiries did not answer 200"):
        read_pages(path)


def test_it_reports_the_median_of_the_runs_for_each_side(tmp_path):
    for run, (before, after) in enumerate([(20, 30), (22, 90), (21, 31)], start=1):
        (tmp_path / f"before-pages-{run}.txt").write_text(table(before, before + 5))
        (tmp_path / f"after-pages-{run}.txt").write_text(table(after, after + 5))
        (tmp_path / f"after-pages-production-{run}.txt").write_text(table(after + 2, after + 7, queries=11))
        (tmp_path / f"before-sweep-{run}.txt").write_text(SWEEP.format(due=f"{4000 + run:,}.0"))
        (tmp_path / f"after-sweep-{run}.txt").write_text(SWEEP.format(due=f"{4100 + run:,}.0"))
    options = Namespace(
        runs=3, out=tmp_path, sweep_enquiries=1_000_000, sweep_due=50_000, enquiries=200, concerns=10, repeat=30
    )

    text = summary(options)

    assert "| sweep, due (ms) | 4,002.0 | 4,102.0 |" in text
    assert "| sweep, idle (ms) | 5.0 | 5.0 |" in text
    assert "| My enquiries | `councillor` | 21 | 31 | 26 | 36 | 10 / 10 | 33 | 38 | 11 |" in text
