#!/usr/bin/env bash
# Validation report (issue 15 point 8): the reference group, N simulated groups and 40 steady epochs through the
# hub's own stages in-process, compared with the truth from outside the pipeline and with WSClean on the same
# visibilities; writes docs/validation.md (org.dsa110.contimg.validation.ValidationReport, in the test classes).
# Usage: bench/validate.sh [--full] [--groups N] [--epochs E] [--seed S] [--no-wsclean] [--out FILE] ... (--help)
#   default: small groups (image caps: 2048 px), heap BENCH_XMX (default 5g);
#            wall time in the report (docs/validation.md).
#   --full:  full-size groups at the pipeline's own image size; heap BENCH_XMX (default 14g), and the run takes
#            /tmp/contimg-bigmem.lock so that two big-memory jobs never share the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
full=false
for a in "$@"; do [ "$a" = "--full" ] && full=true; done
./mvnw -B -q -o test-compile
./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/validate.cp -Dmdep.includeScope=test
# a private copy of the classes, so a build during the run cannot pull them away
rm -rf target/validate-classes && mkdir -p target/validate-classes
cp -r target/classes target/validate-classes/main && cp -r target/test-classes target/validate-classes/test
cp="target/validate-classes/main:target/validate-classes/test:$(cat target/validate.cp)"
if $full; then
  exec flock /tmp/contimg-bigmem.lock java -Xmx"${BENCH_XMX:-14g}" -cp "$cp" \
    org.dsa110.contimg.validation.ValidationReport "$@"
fi
exec java -Xmx"${BENCH_XMX:-5g}" -cp "$cp" org.dsa110.contimg.validation.ValidationReport "$@"
