; Inno Setup script of the Windows installer: `python packaging/build.py` compiles it with
; ISCC when Inno Setup 6 is installed, passing AppVersion, BundleDir (dist\studyplan) and
; IconFile (the rendered studyplan.ico). Never built or run on the Linux machine this project
; is tested on: see README, 下载安装.
;
; Per-user: no admin rights asked (PrivilegesRequired=lowest), installed under the user's
; own programs folder (%LOCALAPPDATA%\Programs\studyplan), a Start-menu entry, an
; uninstaller in Settings > Apps. The secretary's data (%APPDATA%\studyplan\studyplan) is not in
; the program's folder, so uninstalling or upgrading never touches it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\studyplan"
#endif
#ifndef IconFile
  #define IconFile "..\build\icons\studyplan.ico"
#endif
#define AppName "理论学习中心组学习管理"

[Setup]
AppId={{6E0C2B7A-4F1D-4C5B-9A43-5B7F1D2C9E11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=studyplan
DefaultDirName={autopf}\studyplan
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=studyplan-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\studyplan.exe
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\studyplan.exe"; IconFilename: "{app}\studyplan.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\studyplan.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\studyplan.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
