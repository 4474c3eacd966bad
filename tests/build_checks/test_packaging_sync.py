"""build.spec, the Linux .desktop file and tarball script, the Inno Setup script and the dmg
script must agree: app name, executable name, version source, icon paths and bundle id.

Only the Linux recipe is built here (make package); this test keeps the other two honest.
"""

from __future__ import annotations

import ast
import configparser
import re
import subprocess
from pathlib import Path

from iqcadence_desktop import APP_ID, APP_NAME, __version__
from iqcadence_desktop.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"
DESKTOP = ROOT / "packaging" / "linux" / "iqcadence.desktop"
TARBALL = ROOT / "packaging" / "linux" / "make-tarball.sh"
INSTALL = ROOT / "packaging" / "linux" / "install.sh"
ISS = ROOT / "packaging" / "windows" / "iqcadence.iss"
DMG = ROOT / "packaging" / "macos" / "make-dmg.sh"
README = ROOT / "packaging" / "README.md"
EXE_NAME = "iqcadence"


def spec_constants() -> dict[str, str]:
    """Top-level `NAME = "literal"` assignments of build.spec (parsed, not executed)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def iss_defines() -> dict[str, str]:
    text = ISS.read_text(encoding="utf-8")
    return dict(re.findall(r'^#define (\w+) "([^"]*)"', text, flags=re.MULTILINE))


def shell_vars(path: Path) -> dict[str, str]:
    return dict(
        re.findall(r'^([A-Z_]+)="([^"]*)"', path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    )


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_spec_names_come_from_the_package() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert "from iqcadence_desktop import APP_ID, APP_NAME, __version__" in spec
    assert spec_constants()["EXE_NAME"] == EXE_NAME
    assert "BUNDLE_ID = APP_ID" in spec
    assert 'name=f"{APP_NAME}.app"' in spec and "version=__version__" in spec
    assert "upx=False" in spec and "strip=False" in spec and "PYINSTALLER_DEBUG" in spec


def test_icons_named_in_the_spec_exist_and_are_the_ones_the_installers_use() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    for name in ("iqcadence.ico", "iqcadence.icns"):
        assert f'ICONS / "{name}"' in spec
        assert resource_path("icons", name).is_file()
    assert 'ICONS = ROOT / "iqcadence_desktop" / "resources" / "icons"' in spec
    assert "SetupIconFile=iqcadence_desktop\\resources\\icons\\iqcadence.ico" in ISS.read_text(
        encoding="utf-8"
    )
    assert "iqcadence_desktop/resources/icons/iqcadence.png" in TARBALL.read_text("utf-8")
    assert resource_path("icons", "iqcadence.png").is_file()


def test_windows_installer_matches_the_spec() -> None:
    defines = iss_defines()
    assert defines["AppName"] == APP_NAME
    assert defines["AppExeName"] == EXE_NAME + ".exe"
    assert defines["AppBundleId"] == APP_ID
    text = ISS.read_text(encoding="utf-8")
    assert f'Source: "dist\\{EXE_NAME}\\*"' in text  # the COLLECT folder
    assert "/DAppVersion=" in text and "__version__" in text  # version from the package
    assert not re.search(r"^#define AppVersion", text, flags=re.MULTILINE)


def test_macos_dmg_script_matches_the_spec() -> None:
    names = shell_vars(DMG)
    assert names == {"APP_NAME": APP_NAME, "EXE_NAME": EXE_NAME, "BUNDLE_ID": APP_ID}
    text = DMG.read_text(encoding="utf-8")
    assert 'app="dist/$APP_NAME.app"' in text and "hdiutil create" in text
    assert "import iqcadence_desktop as m; print(m.__version__)" in text
    assert '"$app/Contents/MacOS/$EXE_NAME" self-test' in text


def test_linux_desktop_file_and_scripts_match_the_spec() -> None:
    entry = desktop_entry()
    assert entry["Name"] == APP_NAME
    assert entry["Exec"] == EXE_NAME and entry["TryExec"] == EXE_NAME
    assert entry["Icon"] == EXE_NAME and entry["Type"] == "Application"
    assert entry["StartupWMClass"] == EXE_NAME
    tarball = TARBALL.read_text(encoding="utf-8")
    assert 'top="iqcadence-$version"' in tarball and "linux-$(uname -m).tar.gz" in tarball
    assert '"$dist/iqcadence"' in tarball
    install = INSTALL.read_text(encoding="utf-8")
    assert '"$here/iqcadence.desktop"' in install and '"$icons/iqcadence.png"' in install
    assert 'icons="$prefix/icons/hicolor/256x256/apps"' in install  # the PNG is 256 px


def test_makefile_builds_with_the_spec_and_checks_the_tarball() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "build.spec" in makefile and "packaging/check_build.py" in makefile
    assert "dist/iqcadence-$(VERSION)-linux-$$(uname -m).tar.gz" in makefile
    assert "import iqcadence_desktop as m; print(m.__version__)" in makefile


def test_readme_documents_every_recipe() -> None:
    readme = README.read_text(encoding="utf-8")
    for needle in (
        "make package",
        "ISCC",
        "/DAppVersion",
        "make-dmg.sh",
        "hdiutil",
        "PYINSTALLER_DEBUG=1",
        "self-test",
    ):
        assert needle in readme, needle


def test_shell_scripts_parse() -> None:
    for script in (TARBALL, INSTALL, DMG):
        done = subprocess.run(
            ["sh", "-n", str(script)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr


def test_version_is_a_plain_release_number() -> None:
    # Inno Setup and CFBundleShortVersionString both want digits and dots.
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
