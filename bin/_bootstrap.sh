# Sourced by bin/run and bin/test: make .venv and install the pinned
# dependencies from pyproject.toml when they are missing or have changed.
# Needs only python3 (3.11) on the PATH.

bootstrap_venv() {
  local extras="$1"  # "" or "test"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $(python3 --version)…"
    python3 -m venv .venv
  fi
  local stamp=".venv/.installed-${extras:-base}-$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:16])')"
  if [ ! -f "$stamp" ]; then
    echo "Installing the pinned dependencies…"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python - "$extras" <<'PY' > .venv/requirements.txt
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
requirements = list(project["dependencies"])
if sys.argv[1]:
    requirements += project["optional-dependencies"][sys.argv[1]]
print("\n".join(requirements))
PY
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r .venv/requirements.txt
    rm -f .venv/.installed-"${extras:-base}"-*
    touch "$stamp"
  fi
}
