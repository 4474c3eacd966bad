#!/bin/sh
# Install (or update) iQcadence for the current user, without root:
#   ./install.sh            # into ~/.local
#   ./install.sh --remove   # uninstall (your data in ~/.local/share/iQcadence stays)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir="$prefix/iqcadence-app"
bin_dir="$HOME/.local/bin"
apps="$prefix/applications"
icons="$prefix/icons/hicolor/256x256/apps"

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$app_dir" "$bin_dir/iqcadence" "$apps/iqcadence.desktop" "$icons/iqcadence.png"
    echo "iQcadence removed. Your data folder was left in place."
    exit 0
fi

mkdir -p "$app_dir" "$bin_dir" "$apps" "$icons"
rm -rf "$app_dir/iqcadence"
cp -a "$here/iqcadence" "$app_dir/"
ln -sf "$app_dir/iqcadence/iqcadence" "$bin_dir/iqcadence"
cp "$here/iqcadence.png" "$icons/iqcadence.png"
# Exec with the full path, so the menu entry works even if ~/.local/bin is not on PATH.
sed -e "s|^Exec=iqcadence|Exec=$app_dir/iqcadence/iqcadence|" \
    -e "s|^TryExec=iqcadence|TryExec=$app_dir/iqcadence/iqcadence|" \
    "$here/iqcadence.desktop" > "$apps/iqcadence.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "iQcadence installed: start it from your applications menu or run $bin_dir/iqcadence"
