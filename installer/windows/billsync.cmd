@echo off
rem billsync on the command line: billsync.cmd doctor, billsync.cmd status, billsync.cmd --help
"%~dp0node.exe" "%~dp0billsync.cjs" %*
exit /b %ERRORLEVEL%
