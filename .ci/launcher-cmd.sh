#!/usr/bin/env bash
# bin\evkeygen.cmd, the release's Windows launcher, run by Wine's cmd with a stand-in java.exe
# (.ci/launcher-cmd/java_stub.c, built with zig) that records how it is started (issue 22). No Windows
# JVM is available here, so this checks the script itself: which java and jar it picks, the flags,
# the class-data archive made on the first run (a training run, then the archive moved into place)
# and used on the next, a truncated archive made again, arguments passed through unchanged (spaces,
# ")"), and the exit code passed back. Needs the release zip (mvn package), zig (EVKEYGEN_ZIG or
# .ci/zig.sh) and wine64 (installed when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "launcher-cmd: FAIL $*" >&2; [ -f "${EVK_STUB_LOG:-}" ] && cat "$EVK_STUB_LOG" >&2; exit 1; }

zip=""
for z in target/evkeygen-*.zip; do zip=$z; done
[ -f "$zip" ] || fail "no release zip target/evkeygen-VERSION.zip (run mvn package first)"
ZIG="${EVKEYGEN_ZIG:-$(bash .ci/zig.sh)}"
WINE="$(command -v wine64 || echo /usr/lib/wine/wine64)"
if [ ! -x "$WINE" ]; then
  bash .ci/apt-install.sh wine64
fi

work=$(mktemp -d)
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all EVK_STUB_LOG="$work/java.log"
trap '"$(dirname "$WINE")/wineserver" -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
unzip -q "$zip" -d "$work"
rel=""
for d in "$work"/evkeygen-*/; do rel=${d%/}; done
mkdir -p "$rel/runtime/bin" "$rel/runtime/lib" "$work/other"
"$ZIG" cc -target x86_64-windows-gnu -O1 -o "$rel/runtime/bin/java.exe" .ci/launcher-cmd/java_stub.c 2>/dev/null \
  || fail "zig could not build the stand-in java.exe"
cp "$rel/runtime/bin/java.exe" "$work/other/java.exe"
echo "a jimage" > "$rel/runtime/lib/modules"
win() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }   # Wine maps / to drive Z:
"$WINE" wineboot --init >/dev/null 2>&1 || true

rc=0
launch() { # runs bin\evkeygen.cmd with the arguments given; the stand-in's log starts empty
  : > "$EVK_STUB_LOG"
  set +e
  "$WINE" cmd /c "$(win "$rel/bin/evkeygen.cmd")" "$@" > "$work/out" 2>&1
  rc=$?
  set -e
}
# expectations about the stand-in's log: python3 reads it as one call per "--"-ended block
expect() { # description, python expression over calls (each call a list: program, arguments)
  python3 - "$EVK_STUB_LOG" "$1" "$2" <<'PY' || fail "$1"
import os, re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read().replace("\r", "")
calls, cur = [], []
for line in text.split("\n"):
    if line == "--":
        calls.append(cur); cur = []
    elif line or cur:
        cur.append(line)
def opt(call, prefix):
    return next((a[len(prefix):] for a in call if a.startswith(prefix)), None)
def after(call, flag):
    return call[call.index(flag) + 1] if flag in call else None
ok = eval("(" + sys.argv[3] + ")")
print(("ok   " if ok else "FAIL ") + sys.argv[2])
sys.exit(0 if ok else 1)
PY
}

# 1. a generation (flags only), first run: a training run of evkeygen-generate.jar, then the run
launch --key_path "a b" --key_id "x)y"
[ "$rc" = 0 ] || fail "exit code $rc, expected 0"
expect "first generation: training, then the run with the new archive" '
len(calls) == 2
and calls[0][0].endswith("\\runtime\\bin\\java.exe")
and re.search(r"\\evkeygen\\cds\\\.training-\d+\\new\.jsa$", opt(calls[0], "-XX:ArchiveClassesAtExit=") or "") is not None
and "io.evkeygen.cli.CdsTraining" in calls[0] and calls[0][-1] == "generate"
and after(calls[0], "-cp").endswith("\\lib\\evkeygen-generate.jar")
and re.search(r"\\evkeygen\\cds\\generate-[^\\]+\.jsa$", opt(calls[1], "-XX:SharedArchiveFile=") or "") is not None
and "--enable-native-access=ALL-UNNAMED" in calls[1]
and (opt(calls[1], "-Devkeygen.cli.fullJar=") or "").endswith("\\lib\\evkeygen.jar")
and after(calls[1], "-cp").endswith("\\lib\\evkeygen-generate.jar")
and calls[1][-5:] == ["io.evkeygen.cli.Main", "--key_path", "a b", "--key_id", "x)y"]'
export GENERATE_ARCHIVE
GENERATE_ARCHIVE=$(grep -a -m1 '^-XX:SharedArchiveFile=' "$EVK_STUB_LOG" | tr -d '\r')

# 2. the next generation maps that archive and trains no more
launch --key_path k --key_id second
[ "$rc" = 0 ] || fail "exit code $rc, expected 0"
expect "second generation: the same archive, no training" '
len(calls) == 1 and os.environ["GENERATE_ARCHIVE"] in calls[0]
and calls[0][-4:] == ["--key_path", "k", "--key_id", "second"]'

# 3. a subcommand: evkeygen.jar and an archive of its own
launch info --json
[ "$rc" = 0 ] || fail "exit code $rc, expected 0"
expect "a subcommand: training and run on evkeygen.jar, the tools archive" '
len(calls) == 2 and calls[0][-1] == "tools"
and after(calls[1], "-cp").endswith("\\lib\\evkeygen.jar")
and opt(calls[1], "-Devkeygen.cli.fullJar=") is None
and re.search(r"\\evkeygen\\cds\\tools-[^\\]+\.jsa$", opt(calls[1], "-XX:SharedArchiveFile=") or "") is not None
and calls[1][-3:] == ["io.evkeygen.cli.Main", "info", "--json"]'

# 4. an archive that is not at its recorded size is never mapped: it is made again
cds="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/evkeygen/cds"
[ -d "$cds" ] || cds=$(dirname "$(find "$WINEPREFIX/drive_c/users" -name 'generate-*.jsa' | head -1)")
for a in "$cds"/generate-*.jsa; do printf 'truncated' > "$a"; done
launch --version
expect "a truncated archive: trained again before it is used" '
len(calls) == 2 and "io.evkeygen.cli.CdsTraining" in calls[0] and calls[1][-1] == "--version"'

# 5. the JVM's exit code comes back; JAVA picks the java.exe
EVK_STUB_EXIT=3 launch --version
[ "$rc" = 3 ] || fail "exit code $rc, expected the JVM's 3"
JAVA="$(win "$work/other/java.exe")" launch --version
[ "$rc" = 0 ] || fail "exit code $rc, expected 0"
expect "JAVA names the java.exe to run" 'calls[-1][0].endswith("\\other\\java.exe")'
echo "launcher-cmd: bin\\evkeygen.cmd ok under $("$WINE" --version 2>/dev/null || echo wine)"
