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

# A project that depends on the linux-x86_64 classifier jar instead of the main jar (issue 22): its
# class path holds that jar and not the main one; the jar holds our classes, the module descriptor
# and that one library with its hash, nothing of another platform; it generates with the native
# backend; and an integration it did not add is a KeygenException naming the jars, not NoClassDefFoundError.
native=.ci/consumer-native
mvn -B -q -f "$native/pom.xml" compile dependency:build-classpath -Devkeygen.version="$version" \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$out.native"
jar=$(tr ':' '\n' < "$out.native" | grep "/evkeygen-$version-linux-x86_64.jar$") \
  && ! tr ':' '\n' < "$out.native" | grep -q "/evkeygen-$version.jar$" \
  || { echo "consumer: the native consumer's class path is not the classifier jar's: $(cat "$out.native")" >&2; exit 1; }
unzip -Z1 "$jar" > "$out.entries"
for entry in module-info.class io/evkeygen/KeyGenerator.class linux-x86-64/libevkeygen.so linux-x86-64/libevkeygen.so.sha256; do
  grep -qx "$entry" "$out.entries" || { echo "consumer: $jar lacks $entry" >&2; exit 1; }
done
if grep -E '^(linux|win32|darwin)-' "$out.entries" | grep -v '^linux-x86-64/'; then
  echo "consumer: $jar holds another platform's library" >&2; exit 1
fi
keys=$(mktemp -d)
ran=$(java -cp "$native/target/classes:$(cat "$out.native")" example.NativeConsumer "$keys")
rm -rf "$keys" "$native/target"
echo "$ran"
echo "$ran" | grep -qx 'backend native' || { echo "consumer: the classifier jar did not generate natively" >&2; exit 1; }
echo "$ran" | grep -q '^server USAGE EnvectorClient needs io.grpc:grpc-netty-shaded, .*com.google.protobuf:protobuf-java' \
  && echo "$ran" | grep -q '^aws USAGE AwsKeyStore needs software.amazon.awssdk:s3, ' \
  || { echo "consumer: a missing integration library was not named" >&2; exit 1; }
echo "consumer: classifier jar ok"
