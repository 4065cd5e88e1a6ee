"""Hypothesis profiles for the fuzz tests. HYPOTHESIS_PROFILE chooses one:
- ``ci`` (the default): derandomized, so every run tries the same examples and a failure
  in CI is reproduced by running the test again; no example database.
- ``dev``: random examples each run, remembering failures in .hypothesis/.
- ``thorough``: as dev, with ten times the examples (a few minutes' run, locally).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    # Each test signs in once and creates its objects once; every example then runs in a
    # savepoint that is rolled back (tests.fuzz.harness.rolled_back), so examples are independent.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", derandomize=True, database=None, **COMMON)
settings.register_profile("dev", **COMMON)
settings.register_profile("thorough", **COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
EXAMPLES_SCALE = {"thorough": 10}.get(PROFILE, 1)


def fuzz(examples: int) -> settings:
    """The settings for one fuzz test: ``examples`` per run in CI, more under ``thorough``."""
    return settings(max_examples=examples * EXAMPLES_SCALE)
