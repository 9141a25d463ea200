; billsync.exe: starts the agent without a console window.
;
; node.exe is a console program: started from a shortcut or the Run key it would open a black window
; for as long as billsync runs. This small program (built with makensis like the installer, no files
; of its own) starts "node.exe billsync.cjs <arguments>" hidden, in the install folder (systray2 looks
; for its helper in .\traybin), and exits. Without arguments it runs the agent: "billsync run".
; Keeping node.exe untouched keeps the Node.js project's signature on it.
;
; makensis /DVERSION=0.1.0 /DVI_VERSION=0.1.0.0 /DICON=...\billsync.ico /DOUTFILE=...\billsync.exe launcher.nsi

Unicode true
!include FileFunc.nsh
!include LogicLib.nsh

!ifndef VERSION
  !error "pass /DVERSION=, /DVI_VERSION=, /DICON= and /DOUTFILE="
!endif

Name "billsync"
OutFile "${OUTFILE}"
Icon "${ICON}"
SilentInstall silent
RequestExecutionLevel user
SetCompressor /SOLID lzma
CRCCheck on

VIProductVersion "${VI_VERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "billsync"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "billsync (starts the Billit to Venice agent)"
VIAddVersionKey /LANG=1033 "LegalCopyright" "billsync"

Section
  ${GetParameters} $0
  ${If} $0 == ""
    StrCpy $0 "run"
  ${EndIf}
  ; The started program's working folder is $OUTDIR.
  SetOutPath "$EXEDIR"
  ExecShell "open" '"$EXEDIR\node.exe"' '"$EXEDIR\billsync.cjs" $0' SW_HIDE
SectionEnd
