; Inno Setup 6 script for iQcadence Desktop (per-user install, no admin rights needed).
; Build on Windows after `pyinstaller --noconfirm --clean build.spec` made dist\iqcadence:
;   for /f %v in ('python -c "import iqcadence_desktop as m; print(m.__version__)"') do set V=%v
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=%V% packaging\windows\iqcadence.iss
; Output: dist\iqcadence-<version>-windows-x64-setup.exe. See packaging/README.md.
; tests/unit/test_packaging_sync.py checks the names, icon and id below against build.spec.

#define AppName "iQcadence"
#define AppExeName "iqcadence.exe"
#define AppBundleId "com.iqcadence.desktop"
#define AppPublisher "iQcadence"
#ifndef AppVersion
  #error Pass the version from iqcadence_desktop.__version__: ISCC /DAppVersion=X.Y.Z
#endif

[Setup]
; AppId must never change between versions: it is how Windows finds the installed copy.
AppId={#AppBundleId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=iqcadence-{#AppVersion}-windows-x64-setup
SetupIconFile=iqcadence_desktop\resources\icons\iqcadence.ico
UninstallDisplayIcon={app}\{#AppExeName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder build (the exe and its _internal folder).
Source: "dist\iqcadence\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The user's data (%LOCALAPPDATA%\iQcadence) is left in place on uninstall on purpose.
