#!/usr/bin/env bash
# Sets up everything the project needs on a fresh Debian machine with Python 3.11 and git:
# system packages (Chromium for browser tests, the CJK TrueType fonts of the PDFs, gettext, poppler),
# a virtualenv with the pinned packages, and the compiled translation catalogues.
# Usage: scripts/setup.sh [runtime|test]   (default: runtime)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-runtime}"

# Fonts by GB/T 9704 role in the PDFs (reporting/fonts.py): Song (title), Kai (body, FangSong stand-in;
# level-2 headings), Hei (level-1 headings), DejaVu Sans for the few characters GB 2312 lacks (−).
apt_packages=(gettext fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-dejavu-core)
if [ "$profile" = "test" ]; then
  apt_packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
requirements=requirements.txt
[ "$profile" = "test" ] && requirements=requirements-test.txt
stamp=".venv/.installed-$profile"

# uv (pinned in requirements-setup.txt) makes the virtualenv and installs the pinned packages: it
# downloads them in parallel and links them from its cache, where pip took most of a fresh
# clone's setup time (docs/testing.md, "How long CI takes"). It is fetched once per checkout into
# var/uv by the interpreter's own pip; if that fails (no pip, no index), pip does the work as before.
uv=""
uv_dir="var/uv/$(sed -n 's/^uv==//p' requirements-setup.txt)"
mkdir -p var
if [ -x "$uv_dir/bin/uv" ]; then
  uv="$uv_dir/bin/uv"
elif [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  if "$python_bin" -m pip install -q --disable-pip-version-check --target "$uv_dir" \
    -r requirements-setup.txt >/dev/null 2>var/uv-install.err; then
    uv="$uv_dir/bin/uv"
  else
    echo "==> uv could not be installed (var/uv-install.err); pip installs the packages instead"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv with $python_bin"
  if [ -n "$uv" ]; then
    "$uv" venv -q --seed --python "$python_bin" .venv
  else
    "$python_bin" -m venv .venv
  fi
fi
if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  echo "==> Installing Python packages from $requirements"
  if [ -n "$uv" ]; then
    # --compile-bytecode: pip writes every module's .pyc at install; uv only when asked. Without
    # them, and with PYTHONDONTWRITEBYTECODE set, every process would compile Django and the rest
    # from source each time it starts (a fresh clone's CI took a third longer).
    "$uv" pip install -q --compile-bytecode --python .venv/bin/python -r "$requirements"
  else
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$requirements"
  fi
  touch "$stamp"
fi

echo "==> Compiling translations"
DEBUG=1 .venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=mutants
