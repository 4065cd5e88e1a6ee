"""How bin/test shares the tests between its workers (tests/conftest.py): a module that builds
its data once for the module goes to one worker whole, so the list of such modules must name
every one of them, and only modules whose tests are all rolled back (those modules run first,
before the tests that commit, whose flush would empty the data the others read)."""

import re
from pathlib import Path

from tests.conftest import BUILT_ONCE_MODULES

ROOT = Path(__file__).resolve().parent.parent
# A fixture built once for the module: scope="module" (or "package"/"session" in a test
# module), or the suite's own built_once helper.
BUILDS_ONCE = re.compile(r'scope="(module|package|session)"|\bbuilt_once\(')
COMMITS = re.compile(r"transaction=True|\blive_server\b|transactional_db")


def suite_modules() -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_text()
        for path in (ROOT / "tests").rglob("test_*.py")
        if path.name != Path(__file__).name
    }


def test_every_module_that_builds_once_goes_to_one_worker():
    building = {name for name, text in suite_modules().items() if BUILDS_ONCE.search(text)}
    assert building == BUILT_ONCE_MODULES, (
        f"add to BUILT_ONCE_MODULES: {sorted(building - BUILT_ONCE_MODULES)}; "
        f"remove: {sorted(BUILT_ONCE_MODULES - building)}"
    )


def test_no_module_given_to_one_worker_commits():
    modules = suite_modules()
    assert not [name for name in BUILT_ONCE_MODULES if COMMITS.search(modules[name])]
