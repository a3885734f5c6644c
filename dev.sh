#!/usr/bin/env bash
# SalesLens developer commands (the README's two commands):
#   ./dev.sh app    create .venv if needed, install requirements.txt, start the app on the sample data
#   ./dev.sh test   create .venv if needed, install requirements-dev.txt and Debian's chromium, run all tests
# Other: ./dev.sh report ARGS...  (python -m metrics report ARGS)
set -euo pipefail
cd "$(dirname "$0")"
VENV=${SALESLENS_VENV:-.venv}
PY=${PYTHON:-python3}

venv() {
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$1"
}

chromium_present() { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }

# The report's fonts (Cyrillic): Debian's fonts-dejavu-core (also in packages.txt for Streamlit Community
# Cloud and in the Dockerfile). Without them the PDF still builds, in Typst's own embedded fonts.
fonts() {
  [ -d /usr/share/fonts/truetype/dejavu ] && return 0
  command -v apt-get >/dev/null 2>&1 || { echo "note: install the DejaVu fonts for the report" >&2; return 0; }
  echo "installing Debian's fonts-dejavu-core for the report (needs root and apt-get)" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; } ||
    echo "note: could not install fonts-dejavu-core; the report uses Typst's embedded fonts" >&2
}

case "${1:-}" in
  app)
    venv requirements.txt
    fonts
    shift
    exec "$VENV/bin/python" -m streamlit run app.py "$@"
    ;;
  test)
    venv requirements-dev.txt
    fonts
    if ! chromium_present; then
      echo "installing Debian's chromium for the browser tests (needs root and apt-get)" >&2
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    fi
    shift
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  report)
    venv requirements.txt
    fonts
    shift
    exec "$VENV/bin/python" -m metrics report "$@"
    ;;
  *)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
