"""The compiled GOV.UK Frontend is the council's, and collectstatic builds it for production."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"


def test_the_stylesheet_has_no_gds_font_and_no_crown():
    css = (STATIC / "govuk" / "portal.css").read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "arial,sans-serif" in css.replace(", ", ",").lower()
    assert "govuk-crest" not in css
    assert not (STATIC / "govuk" / "assets" / "fonts").exists()


def test_the_page_template_shows_no_crown():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "govuk-logo" not in base
    assert "Crown copyright" not in base


def test_collectstatic_builds_hashed_compressed_files(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "collectstatic-test",
        "STATIC_MANIFEST": "true",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["govuk/portal.css"]
    assert hashed_css != "govuk/portal.css"
    assert (tmp_path / "staticfiles" / (hashed_css + ".gz")).exists()


def test_the_favicon_is_served_at_the_root(client):
    # Issue 15 C17: browsers ask for /favicon.ico on every page; it answered 404.
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\x00\x00\x01\x00"
