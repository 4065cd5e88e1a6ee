"""The house rules the import contracts (pyproject.toml, ``lint-imports``) cannot say
(docs/architecture.md): no module of the portal imports another's private name, and no
module outgrows a room."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("protocol_portal", "people", "escalation", "cases", "reporting")
# Past this, a module wants splitting by what its parts are about (issue 14).
MOST_LINES = 500


def product_modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "node_modules" not in path.parts
    )


def test_it_finds_the_modules_of_every_app():
    names = {path.relative_to(ROOT).parts[0] for path in product_modules()}
    assert names == set(PACKAGES)


def test_no_module_imports_a_private_name_from_another():
    offences = []
    for path in product_modules():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                offences += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {node.module}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert not offences, "private names imported from another module:\n" + "\n".join(offences)


def test_no_module_is_longer_than_a_room():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in product_modules()
        if (lines := len(path.read_text().splitlines())) > MOST_LINES
    ]
    assert not long, f"modules over {MOST_LINES} lines:\n" + "\n".join(long)
