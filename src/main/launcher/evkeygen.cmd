@echo off
rem evkeygen.cmd: the release's launcher on Windows (bin\evkeygen.cmd beside lib\ with the jars and an
rem optional runtime\), as bin/evkeygen on Unix: JAVA (a java.exe), else runtime\bin\java.exe, else
rem JAVA_HOME, else java on the PATH; JAVA_OPTS adds JVM options; --enable-native-access for JNA (no
rem warning on Java 24+; unlike bin/evkeygen, on every version, which costs Java 17-21 about 20 ms).
rem A flag-only command line runs from evkeygen-generate.jar, handing anything else to evkeygen.jar. The class-data archive is made on first use in %LOCALAPPDATA%\evkeygen\cds,
rem one per JVM and jar (named by the sizes and times of java.exe, its JDK's lib\modules and the jar),
rem written under a scratch name and moved into place complete, and used only at the size recorded
rem beside it: the JVM maps it, and a truncated archive would crash every run.
setlocal EnableExtensions DisableDelayedExpansion
set "EVK_HOME=%~dp0.."
set "EVK_LIB=%EVK_HOME%\lib"
if defined JAVA (
  set "EVK_JAVA=%JAVA%"
) else if exist "%EVK_HOME%\runtime\bin\java.exe" (
  set "EVK_JAVA=%EVK_HOME%\runtime\bin\java.exe"
) else if defined JAVA_HOME (
  set "EVK_JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "EVK_JAVA=java.exe"
)
set "EVK_JAR=%EVK_LIB%\evkeygen.jar"
set "EVK_FULL="
set "EVK_KIND=tools"
set "EVK_FIRST=%~1"
if not defined EVK_FIRST goto generation
if "%EVK_FIRST%"=="-h" goto archive
if "%EVK_FIRST%"=="--help" goto archive
if "%EVK_FIRST:~0,1%"=="-" goto generation
goto archive

:generation
if not exist "%EVK_LIB%\evkeygen-generate.jar" goto archive
set "EVK_JAR=%EVK_LIB%\evkeygen-generate.jar"
rem quoted in the value: it expands to nothing when unset
set EVK_FULL="-Devkeygen.cli.fullJar=%EVK_LIB%\evkeygen.jar"
set "EVK_KIND=generate"

:archive
set "EVK_SHARE="
if not defined LOCALAPPDATA goto run
set "EVK_BIN="
for %%J in ("%EVK_JAVA%") do set "EVK_BIN=%%~$PATH:J"
if exist "%EVK_JAVA%" set "EVK_BIN=%EVK_JAVA%"
if not defined EVK_BIN goto run
set "EVK_KEY="
for %%J in ("%EVK_BIN%") do set "EVK_KEY=%%~zJ_%%~tJ"
rem two steps: a nested for's ~z of "%%~dpJ..\lib\modules" comes out empty under Wine's cmd
for %%J in ("%EVK_BIN%") do set "EVK_JDK=%%~dpJ.."
for %%M in ("%EVK_JDK%\lib\modules") do set "EVK_KEY=%EVK_KEY%_%%~zM_%%~tM"
for %%A in ("%EVK_JAR%") do set "EVK_KEY=%EVK_KEY%_%%~zA_%%~tA"
rem a file name: times hold "/", ":" and spaces
set "EVK_KEY=%EVK_KEY:/=-%"
set "EVK_KEY=%EVK_KEY::=-%"
set "EVK_KEY=%EVK_KEY: =-%"
set "EVK_CDS=%LOCALAPPDATA%\evkeygen\cds"
set "EVK_ARCHIVE=%EVK_CDS%\%EVK_KIND%-%EVK_KEY%.jsa"
rem "call :fits && goto use" would not do: Wine's cmd runs the && even after "exit /b 1"
call :fits
if not errorlevel 1 goto use
call :train
call :fits
if not errorlevel 1 goto use
goto run

:use
set "EVK_SHARE=-XX:SharedArchiveFile=%EVK_ARCHIVE%"

:run
rem no parenthesized block around %*: an argument holding ")" would end it
if not defined EVK_SHARE goto plain
"%EVK_JAVA%" "%EVK_SHARE%" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off --enable-native-access=ALL-UNNAMED %EVK_FULL% %JAVA_OPTS% -cp "%EVK_JAR%" io.evkeygen.cli.Main %*
exit /b %ERRORLEVEL%
:plain
"%EVK_JAVA%" --enable-native-access=ALL-UNNAMED %EVK_FULL% %JAVA_OPTS% -cp "%EVK_JAR%" io.evkeygen.cli.Main %*
exit /b %ERRORLEVEL%

rem succeeds when the archive is there at the size recorded beside it
:fits
if not exist "%EVK_ARCHIVE%" exit /b 1
if not exist "%EVK_ARCHIVE%.size" exit /b 1
set "EVK_WANT="
set /p EVK_WANT=<"%EVK_ARCHIVE%.size"
for %%A in ("%EVK_ARCHIVE%") do if "%%~zA"=="%EVK_WANT%" exit /b 0
exit /b 1

rem the training run of the build (io.evkeygen.cli.CdsTraining) writes the archive at its exit
:train
set "EVK_WORK=%EVK_CDS%\.training-%RANDOM%%RANDOM%"
rem no "|| exit /b 1": Wine's cmd takes || after a redirected command that succeeded
mkdir "%EVK_WORK%" >nul 2>&1
if not exist "%EVK_WORK%\" exit /b 1
"%EVK_JAVA%" "-XX:ArchiveClassesAtExit=%EVK_WORK%\new.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off --enable-native-access=ALL-UNNAMED -cp "%EVK_JAR%" io.evkeygen.cli.CdsTraining "%EVK_WORK%\keys" %EVK_KIND% >nul 2>&1
if errorlevel 1 goto trained
if not exist "%EVK_WORK%\new.jsa" goto trained
rem redirection first: "echo 123>f" would read "3>" as a handle
for %%A in ("%EVK_WORK%\new.jsa") do >"%EVK_WORK%\new.jsa.size" echo %%~zA
rem the archive first, then its size record, only when the archive moved
move /y "%EVK_WORK%\new.jsa" "%EVK_ARCHIVE%" >nul 2>&1
if not exist "%EVK_WORK%\new.jsa" move /y "%EVK_WORK%\new.jsa.size" "%EVK_ARCHIVE%.size" >nul 2>&1
:trained
rmdir /s /q "%EVK_WORK%" >nul 2>&1
exit /b 0
