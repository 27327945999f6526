#!/usr/bin/env bash
# Build planner as a one-folder app with one command: bash packaging/build.sh
#
# Installs what the build needs (planner's dependencies and the [package] extra, i.e.
# PyInstaller) into the current Python (use a venv), then runs packaging/planner.spec.
# planner itself is analysed from this checkout's src/, so it need not be installed.
# Result: dist/planner/planner (start it with `dist/planner/planner --demo`).
# Options via environment: DIST (output folder, default dist), WORK (PyInstaller's work
# folder, default build/pyinstaller), PYTHON (interpreter, default python3), SKIP_INSTALL=1
# (use the environment as it is: the smoke test must not install into it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build/pyinstaller}"
cd "$ROOT"

mkdir -p "$WORK"
if [[ "${SKIP_INSTALL:-}" != 1 ]]; then
    # The build requirements, read from pyproject.toml (the one source of truth).
    "$PYTHON" - <<'PY' > "$WORK/requirements.txt"
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["package"]))
PY
    "$PYTHON" -m pip install --quiet -r "$WORK/requirements.txt"
fi

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/planner.spec

echo "built $DIST/planner/planner ($(du -sh "$DIST/planner" | cut -f1))"
