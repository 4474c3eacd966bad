#!/bin/sh
# Build dist/iqcadence-<version>-macos.dmg from the BUNDLE in build.spec. Run on macOS:
#   pyinstaller --noconfirm --clean build.spec     # makes dist/iQcadence.app
#   packaging/macos/make-dmg.sh
# Optional signing/notarisation (needs an Apple Developer ID), before making the dmg:
#   codesign --deep --force --options runtime --sign "Developer ID Application: NAME" "dist/iQcadence.app"
# and after it:
#   xcrun notarytool submit dist/iqcadence-<version>-macos.dmg --keychain-profile PROFILE --wait
#   xcrun stapler staple dist/iqcadence-<version>-macos.dmg
# tests/unit/test_packaging_sync.py checks the names below against build.spec.
set -eu
APP_NAME="iQcadence"
EXE_NAME="iqcadence"
BUNDLE_ID="com.iqcadence.desktop"
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
version=$(python3 -c "import iqcadence_desktop as m; print(m.__version__)")
app="dist/$APP_NAME.app"
out="dist/$EXE_NAME-$version-macos.dmg"
[ -d "$app" ] || { echo "No $app: run pyinstaller --noconfirm --clean build.spec first" >&2; exit 1; }
plist_id=$(/usr/libexec/PlistBuddy -c "Print CFBundleIdentifier" "$app/Contents/Info.plist")
[ "$plist_id" = "$BUNDLE_ID" ] || { echo "Bundle id $plist_id is not $BUNDLE_ID" >&2; exit 1; }
# The frozen app must pass its own check before it is shipped.
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/$EXE_NAME" self-test
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"  # -R keeps the framework symlinks
ln -s /Applications "$stage/Applications"  # drag-to-install
rm -f "$out"
hdiutil create -volname "$APP_NAME $version" -srcfolder "$stage" -fs HFS+ -format UDZO \
    -ov "$out"
hdiutil verify "$out"
echo "$out"
