#!/usr/bin/env bash
# The server client, the KMS client and the KMS server on protobuf-java 3.25 as well as the 4.x the
# main build uses (issue 22): compiles and runs their tests with -Pprotobuf3 (pom.xml) in a copy of the
# sources, so target/ of the main build is left as it was. Arguments go to Maven (-o: offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$ROOT/pom.xml" "$ROOT/src" "$work/"
# ProtobufRuntimeTest checks that protobuf-java 3.25 is the runtime loaded
mvn -B -q -f "$work/pom.xml" test -Pprotobuf3 -Devkeygen.native.skip=true -Devkeygen.native.cross.skip=true \
  -Devkeygen.cds.skip=true \
  -Devkeygen.shared="$ROOT/../shared" "$@"
grep -h 'Tests run' "$work"/target/surefire-reports/*.txt | awk '{r+=$3; f+=$5; e+=$7; s+=$9} END {printf "protobuf3: %d tests, %d failures, %d errors, %d skipped\n", r, f, e, s}'
echo "protobuf3: ok"
