#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, docs/FUZZING.md) of the envelope reader, the sealed-blob reader,
# the EvalKey container reader, argument parsing, the metadata-token reader and the older MetadataKey
# layouts (every *FuzzTest class): each target fuzzes for FUZZ_SECONDS (default 30)
# from its seed corpus in src/test/resources/io/evkeygen/fuzz/. Any finding fails the run; Jazzer then
# saves the input next to the seeds (<Target>Inputs/<method>/crash-*), where `mvn verify` replays it.
# Usage: bash .ci/fuzz.sh [test-class-pattern]   e.g. bash .ci/fuzz.sh EnvelopeReaderFuzzTest
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
pattern="${1:-*FuzzTest}"
# One JVM per fuzz test class (Jazzer fuzzes one test per JVM), with a 1 GB heap so the JVM stays
# under libFuzzer's 2 GB RSS limit; the native library is not needed.
JAZZER_FUZZ=1 mvn -B test -Dtest="$pattern" -DreuseForks=false -Djazzer.max_duration="${seconds}s" \
  -Devkeygen.test.heap=1g \
  -Devkeygen.native.skip=true -Dsurefire.failIfNoSpecifiedTests=false
