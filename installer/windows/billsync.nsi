; billsync setup for Windows: a per-user install, no administrator rights needed.
;
;   program files   %LOCALAPPDATA%\Programs\billsync   (replaced on upgrade, removed on uninstall)
;   settings        %APPDATA%\billsync                 (config.json: kept on upgrade and uninstall)
;   data            %LOCALAPPDATA%\billsync            (ledger, quarantine, logs: kept likewise)
;   exported files  the export root the office chose   (never touched by setup or uninstall)
;
; Built by installer/build/package-win.ts:
;   makensis /DVERSION=0.1.0 /DVI_VERSION=0.1.0.0 /DPAYLOAD=<release\win-x64> /DPROGRAM_LIST=<program-files.nsh>
;            /DICON=<icons\billsync.ico> /DOUTFILE=<billsync-setup-0.1.0.exe> billsync.nsi
; PROGRAM_LIST is generated from the payload: it removes exactly the program files this version ships.
;
; Silent use (IT partners): billsync-setup-X.exe /S installs or upgrades (autostart on, a running
; billsync is stopped and started again); uninstall.exe /S removes the program and keeps the data,
; uninstall.exe /S /DELETEDATA also removes settings, ledger and logs.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinVer.nsh
!include x64.nsh

!ifndef VERSION
  !error "pass /DVERSION=x.y.z (and VI_VERSION, PAYLOAD, PROGRAM_LIST, ICON, OUTFILE)"
!endif
!include "${PROGRAM_LIST}"

!define APP "billsync"
!define APP_KEY "Software\billsync"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\billsync"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define STARTUP_APPROVED_KEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"

Name "billsync ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\billsync"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
RequestExecutionLevel user
BrandingText "billsync ${VERSION}"

VIProductVersion "${VI_VERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "billsync"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "billsync setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "billsync"

Var Upgrade        ; 1 when a billsync is already installed (the install folder is then fixed)
Var AgentWasRunning

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\billsync.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start billsync now"

!insertmacro MUI_PAGE_COMPONENTS
; A page's PRE function applies to the page inserted right after it: the folder page, not the components.
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; Stops every process that runs from the install folder (node.exe, the tray helper, a toast helper),
; after asking, so that its files can be replaced or removed. The agent's ledger is SQLite in WAL mode
; with synchronous=FULL and every export is an atomic rename, so a hard stop loses nothing committed.
!macro STOP_AGENT_FUNCTION un
Function ${un}StopAgent
  StrCpy $R1 0
  check:
    IfFileExists "$INSTDIR\node.exe" 0 done
    ClearErrors
    FileOpen $R0 "$INSTDIR\node.exe" a
    IfErrors running
    FileClose $R0
    Goto done
  running:
    ${If} $R1 == 0
      MessageBox MB_OKCANCEL|MB_ICONINFORMATION "billsync is running. Setup stops it now; nothing it has exported or recorded is lost." /SD IDOK IDOK stop
      Abort "billsync is still running."
    ${ElseIf} $R1 >= 5
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "billsync could not be stopped. Quit it from its tray icon (right-click, Quit) and click Retry." /SD IDCANCEL IDRETRY stop
      Abort "billsync is still running."
    ${EndIf}
  stop:
    StrCpy $AgentWasRunning 1
    ; The folder goes to PowerShell through the environment, so no quote or apostrophe in it can break the command.
    System::Call 'kernel32::SetEnvironmentVariable(t "BILLSYNC_INSTDIR", t "$INSTDIR")i'
    nsExec::Exec `"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -Command "$$d = $$env:BILLSYNC_INSTDIR.TrimEnd('\') + '\'; Get-CimInstance Win32_Process | Where-Object { $$_.ExecutablePath -and $$_.ExecutablePath.StartsWith($$d, [StringComparison]::OrdinalIgnoreCase) } | ForEach-Object { Stop-Process -Id $$_.ProcessId -Force -ErrorAction SilentlyContinue }"`
    Pop $R0
    Sleep 1500
    IntOp $R1 $R1 + 1
    Goto check
  done:
FunctionEnd
!macroend
!insertmacro STOP_AGENT_FUNCTION ""
!insertmacro STOP_AGENT_FUNCTION "un."

Section "billsync" SecProgram
  SectionIn RO
  Call StopAgent
  SetOutPath "$INSTDIR"
  ; Folders are replaced whole, so nothing of an older version lingers in them.
  !insertmacro BILLSYNC_REMOVE_PROGRAM_DIRS
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu (working folder = install folder, set by SetOutPath above).
  CreateShortcut "$SMPROGRAMS\billsync.lnk" "$INSTDIR\billsync.exe" "" "$INSTDIR\icons\billsync.ico" 0 SW_SHOWNORMAL "" "Moves Billit documents into the folders Venice reads"
  CreateShortcut "$SMPROGRAMS\billsync doctor.lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\billsync.cmd" doctor"' "$INSTDIR\icons\billsync.ico" 0 SW_SHOWNORMAL "" "Checks the connection to Billit, the API key and the export folder"

  ; Apps & features (Add/Remove Programs), for this user.
  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "billsync"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "billsync"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\icons\billsync.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Windows' Task Manager (Startup apps) can also turn this off; that choice survives upgrades.
Section "Start billsync when I sign in to Windows" SecAutostart
  WriteRegStr HKCU "${RUN_KEY}" "${APP}" '"$INSTDIR\billsync.exe"'
SectionEnd

Section "-ApplyAutostartChoice"
  ${IfNot} ${SectionIsSelected} ${SecAutostart}
    DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  ${EndIf}
SectionEnd

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "billsync needs 64-bit Windows 10 or later." /SD IDOK
    Abort
  ${EndIf}
  StrCpy $AgentWasRunning 0
  StrCpy $Upgrade 0
  ReadRegStr $0 HKCU "${APP_KEY}" "InstallDir"
  ${If} $0 != ""
  ${AndIf} ${FileExists} "$0\billsync.cjs"
    StrCpy $Upgrade 1
    ; An upgrade keeps the user's choice: no Run entry now means autostart was turned off.
    ReadRegStr $1 HKCU "${RUN_KEY}" "${APP}"
    ${If} $1 == ""
      !insertmacro UnselectSection ${SecAutostart}
    ${EndIf}
  ${EndIf}
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $Upgrade == 1
    Abort ; upgrades go where the installed version is
  ${EndIf}
FunctionEnd

Function .onInstSuccess
  ; A silent upgrade has no finish page: start again what was running.
  ${If} ${Silent}
  ${AndIf} $AgentWasRunning == 1
    Exec '"$INSTDIR\billsync.exe"'
  ${EndIf}
FunctionEnd

Section "un.billsync (program files, Start menu, autostart)" UnSecProgram
  SectionIn RO
  Call un.StopAgent
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  DeleteRegValue HKCU "${STARTUP_APPROVED_KEY}" "${APP}"
  Delete "$SMPROGRAMS\billsync.lnk"
  Delete "$SMPROGRAMS\billsync doctor.lnk"
  !insertmacro BILLSYNC_REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only if empty: anything the user put there stays
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd

; Off unless ticked (or /DELETEDATA): an office reinstalling must find its ledger again.
Section /o "un.Also delete my settings, ledger and logs (exported files always stay)" UnSecData
  RMDir /r "$APPDATA\billsync"
  RMDir /r "$LOCALAPPDATA\billsync"
SectionEnd

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
