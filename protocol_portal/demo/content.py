"""What the demo council is made of: the data files under ``data/`` (STYLE 14: data is not
code), and the seed of every random draw made from them.

The files are TOML, read with the standard library's ``tomllib``: tables keep the order they
are written in, which the draws depend on, and multi-line strings suit the stories. A file is
read once per process.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
# Every draw starts from this seed, so every run draws exactly the same council and history.
SEED = 2026


@cache
def content(name: str) -> dict[str, Any]:
    """The data file ``data/<name>.toml``."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
