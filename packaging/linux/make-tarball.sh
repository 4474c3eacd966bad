#!/bin/sh
# Wrap the one-folder build into dist/iqcadence-<version>-linux-<arch>.tar.gz:
#   iqcadence-<version>/{iqcadence/, iqcadence.desktop, iqcadence.png, install.sh}
# Usage: packaging/linux/make-tarball.sh VERSION [DIST_DIR]   (make package runs it)
set -eu
version=$1
dist=${2:-dist}
root=$(cd "$(dirname "$0")/../.." && pwd)
top="iqcadence-$version"
out="$dist/$top-linux-$(uname -m).tar.gz"
[ -x "$dist/iqcadence/iqcadence" ] || { echo "No build in $dist/iqcadence: run make package" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$top"
cp -a "$dist/iqcadence" "$stage/$top/"  # -a keeps symlinks: copies would bloat the bundle
cp "$root/packaging/linux/iqcadence.desktop" "$root/packaging/linux/install.sh" "$stage/$top/"
cp "$root/iqcadence_desktop/resources/icons/iqcadence.png" "$stage/$top/"
chmod 755 "$stage/$top/install.sh"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out.part" "$top"
mv "$out.part" "$out"
echo "$out"
