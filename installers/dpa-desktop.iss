; Inno Setup 6 script for DPA Desktop: a per-user installer that needs no
; administrator rights, so a practice manager can install from a USB stick or
; an e-mail link. Build on Windows after the PyInstaller build:
;     python installers\build.py --installer
; or by hand:
;     "%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installers\dpa-desktop.iss
; Output: installers\dist\DPA-Desktop-Setup-<versie>.exe

#ifndef AppVersion
  #error Geef de versie mee: ISCC /DAppVersion=x.y.z (installers\build.py doet dat uit dpa_desktop.__version__)
#endif

#define AppName "DPA Desktop"
#define AppPublisher "DPA Desktop"
#define AppExe "DPADesktop.exe"
#define CliExe "dpa-desktop.exe"
#define BundleDir "dist\dpa-desktop"

[Setup]
; A fixed AppId keeps upgrades and the uninstaller entry together; never change it.
AppId={{6F1C2A7E-3B4D-4E8A-9C51-2D7B8E0F4A63}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription={#AppName} installatie
; Per user, no administrator rights: %LOCALAPPDATA%\Programs\DPA Desktop.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
SetupIconFile=..\resources\icons\dpa-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=dist
OutputBaseFilename=DPA-Desktop-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 and Python 3.11 need Windows 10 or later.
MinVersion=10.0
; Close a running copy before files are replaced.
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle: both programs and _internal\ (forms,
; resources, Python, Qt). The user's data is never in here.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle; stale modules from an older version must go.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Verwerkersovereenkomsten invullen en bijhouden"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program may leave in its own folder (none expected) go with it.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
{ The register, drafts, profile and keys live in the user's data folder
  (%LOCALAPPDATA%\DPA Desktop\DPA Desktop, see dpa_desktop/paths.py), not in
  the program folder. Uninstalling keeps them unless the user explicitly asks,
  because an accidental "Ja" would destroy the practice's register; the
  question therefore defaults to Nee, and a silent uninstall keeps the data. }

function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\DPA Desktop\DPA Desktop');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := UserDataDir();
    if DirExists(DataDir) then
    begin
      if SuppressibleMsgBox(
           'Wilt u ook uw gegevens verwijderen?' + #13#10 + #13#10 +
           'Dit zijn het register van verwerkersovereenkomsten, de concepten en het ' +
           'praktijkprofiel in:' + #13#10 + DataDir + #13#10 + #13#10 +
           'Kies Nee om ze te bewaren (aanbevolen), bijvoorbeeld voor een nieuwe installatie. ' +
           'De gemaakte documenten in uw map Documenten blijven altijd staan.',
           mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
      begin
        if not DelTree(DataDir, True, True, True) then
          MsgBox('Niet alle gegevens konden worden verwijderd. U kunt de map zelf ' +
                 'verwijderen: ' + DataDir, mbInformation, MB_OK);
      end;
    end;
  end;
end;
