#!/usr/bin/env bash
# What a project that depends on io.evkeygen:evkeygen gets at run time, measured from a consumer pom
# (.ci/consumer/pom.xml) against the library installed in the local repository: no AWS SDK, picocli,
# gRPC, Netty or Bouncy Castle, and at most 7 MB of jars including ours.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
version=$(mvn -B -q -Dstyle.color=never help:evaluate -Dexpression=project.version -DforceStdout | tr -d "\033" | sed "s/\[[0-9;]*m//g")
mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
out=$(mktemp)
mvn -B -q -f .ci/consumer/pom.xml dependency:build-classpath -Devkeygen.version="$version" \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$out"
tr ':' '\n' < "$out" | sort > "$out.list"
echo "consumer runtime class path (io.evkeygen:evkeygen:$version):"
total=0
while read -r jar; do
  size=$(stat -c %s "$jar")
  total=$((total + size))
  printf '  %8d  %s\n' "$size" "$(basename "$jar")"
done < "$out.list"
printf '  total %d jars, %.2f MB\n' "$(wc -l < "$out.list")" "$(echo "$total / 1048576" | bc -l)"
if grep -Eiq 'awssdk|picocli|grpc|netty|bcprov|bouncycastle|protobuf|slf4j' "$out.list"; then
  echo "consumer: the class path holds an integration's library:" >&2
  grep -Ei 'awssdk|picocli|grpc|netty|bcprov|bouncycastle|protobuf|slf4j' "$out.list" >&2
  exit 1
fi
if [ "$total" -gt $((7 * 1024 * 1024)) ]; then
  echo "consumer: runtime class path is over 7 MB" >&2
  exit 1
fi
echo "consumer: ok"
