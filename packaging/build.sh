#!/usr/bin/env bash
# Build the one-folder Linux bundle dist/training-scheduler/ and prove it runs
# without Python: --version and --self-test in a bare environment.
#
#   bash packaging/build.sh                  build, then test the bundle
#   bash packaging/build.sh --skip-build     test the bundle already in dist/
#   bash packaging/build.sh --install-user   also install it for this user
#                                            (~/.local: menu entry, .tsplan type, icons)
#
# Environment: PYTHON (default python3, 3.11 or newer, built with a shared
# libpython), BUNDLE_VENV (default .venv-bundle in the repository).
# Exits non-zero when any step fails.
set -euo pipefail

APP_ID="org.trainingscheduler.TrainingScheduler"
NAME="training-scheduler"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${BUNDLE_VENV:-$ROOT/.venv-bundle}"
BUNDLE="$ROOT/dist/$NAME"

build=1
install_user=0
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=0 ;;
    --install-user) install_user=1 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }

if [ "$build" = 1 ]; then
  started=$(date +%s)
  say "environment $VENV"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  "$VENV/bin/python" -m pip install --quiet ".[bundle]"
  # The same version number would be "already satisfied": install this tree's code.
  "$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall .

  say "PyInstaller"
  rm -rf "$BUNDLE"
  (
    # Run outside the source tree, so the installed package (with its
    # resources inside) is what gets bundled.
    cd "$VENV"
    "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
      --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
      "$ROOT/packaging/$NAME.spec"
  )
  finished=$(date +%s)
  echo "built $BUNDLE in $((finished - started)) s"
fi

if [ ! -x "$BUNDLE/$NAME" ]; then
  echo "build.sh: no bundle at $BUNDLE (build it first)" >&2
  exit 1
fi
echo "bundle size: $(du -sh "$BUNDLE" | cut -f1)"

# A bare environment: no virtual environment, no Python on PATH beyond the
# system's, a fresh home folder; the bundle must bring everything itself.
say "smoke test in a bare environment"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
bare=(env -i "PATH=/usr/bin:/bin" "HOME=$scratch" "LANG=C.UTF-8" "QT_QPA_PLATFORM=offscreen")
version="$("${bare[@]}" "$BUNDLE/$NAME" --version)"
echo "$version"
case "$version" in
  "$NAME "[0-9]*) ;;
  *) echo "build.sh: --version printed “$version”" >&2; exit 1 ;;
esac
test_started=$(date +%s%N)
"${bare[@]}" "$BUNDLE/$NAME" --self-test
test_ms=$((($(date +%s%N) - test_started) / 1000000))
echo "self-test took $((test_ms / 1000)).$(printf '%03d' $((test_ms % 1000))) s (with start-up)"

if [ "$install_user" = 1 ]; then
  say "installing for ${USER:-$(id -un)} in ~/.local"
  data="${XDG_DATA_HOME:-$HOME/.local/share}"
  target="$HOME/.local/opt/$NAME"
  mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$data/applications" "$data/metainfo" \
    "$data/mime/packages"
  rm -rf "$target"
  cp -a "$BUNDLE" "$target"
  ln -sf "$target/$NAME" "$HOME/.local/bin/$NAME"
  # The menu entry runs the installed copy by its full path: ~/.local/bin is
  # not on every desktop session's PATH.
  sed -e "s|^Exec=$NAME |Exec=\"$target/$NAME\" |" -e "s|^TryExec=.*|TryExec=$target/$NAME|" \
    "$ROOT/packaging/linux/$APP_ID.desktop" >"$data/applications/$APP_ID.desktop"
  if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$data/applications/$APP_ID.desktop"
  fi
  cp "$ROOT/packaging/linux/$APP_ID.metainfo.xml" "$data/metainfo/"
  cp "$ROOT/packaging/linux/$APP_ID.mime.xml" "$data/mime/packages/$APP_ID.xml"
  (cd "$ROOT/packaging/linux/icons" && find hicolor -type f -print0 |
    while IFS= read -r -d '' icon; do
      mkdir -p "$data/icons/$(dirname "$icon")"
      cp "$icon" "$data/icons/$icon"
    done)
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications"
  fi
  if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime"
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
  fi
  echo "installed: $target, ~/.local/bin/$NAME (make sure ~/.local/bin is on PATH)"
fi
say "done"
