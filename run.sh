#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh serve   install what is missing, build site/, serve it on http://127.0.0.1:8000/ and rebuild on change
#   ./run.sh test    install what is missing (Chromium and Java too), then run every test: unit + end-to-end
# Installs are idempotent, so running either again is cheap.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}

install_assets() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

install_python() {
  if ! "$PYTHON" -c "import maamar, maamar_live, markdown, jinja2, yaml, pygments, pyodide_lock, pkginfo, playwright, pytest, ruff" 2>/dev/null \
     || [ pyproject.toml -nt .cache/installed ]; then
    "$PYTHON" -m pip install --quiet -e '.[test]'
    mkdir -p .cache && touch .cache/installed
  fi
}

install_test_tools() {
  # Chromium for the end-to-end tests, Java for the Nu Html Checker (vnu-jar).
  local missing=()
  if [ -z "${MAAMAR_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium fonts-noto-core); fi
  if ! command -v java >/dev/null 2>&1; then missing+=(default-jre-headless); fi
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

case "${1:-}" in
  serve)
    install_assets; install_python
    shift; exec "$PYTHON" build.py --serve "$@" ;;
  test)
    install_assets; install_python; install_test_tools
    shift; exec "$PYTHON" -m pytest "$@" ;;
  *)
    echo "usage: ./run.sh serve | ./run.sh test [pytest args]" >&2; exit 64 ;;
esac
