#!/usr/bin/env bash
# Set-up and everyday commands for Anju. `./dev.sh serve` and `./dev.sh test` are the README's two commands.
set -euo pipefail
cd "$(dirname "$0")"
VENV=${ANJU_VENV:-.venv}
APT_PACKAGES=(postgresql redis-server chromium fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)

install_system() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        echo "Installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

install_python() {
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e ".[test]"
}

cmd=${1:-help}
shift || true
case "$cmd" in
    install)
        install_system
        install_python
        ;;
    serve)
        install_system
        install_python
        export PATH="$PWD/$VENV/bin:$PATH"
        litestar --app app:create_app database upgrade --no-prompt
        litestar --app app:create_app anju seed-demo
        litestar --app app:create_app anju seed-demo-adjusters
        exec litestar --app app:create_app run --host 127.0.0.1 --port 8000 "$@"
        ;;
    test)
        install_system
        install_python
        export PATH="$PWD/$VENV/bin:$PATH"
        ruff check .
        ruff format --check .
        mypy .
        exec python -m pytest -q "$@"
        ;;
    *)
        echo "usage: ./dev.sh serve | test | install"
        exit 2
        ;;
esac
