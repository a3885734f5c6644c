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

case "${1:-}" in
  app)
    venv requirements.txt
    shift
    exec "$VENV/bin/python" -m streamlit run app.py "$@"
    ;;
  test)
    venv requirements-dev.txt
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
    shift
    exec "$VENV/bin/python" -m metrics report "$@"
    ;;
  *)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
