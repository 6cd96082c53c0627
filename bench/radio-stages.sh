#!/usr/bin/env bash
# Wall time and peak heap per builtin radio stage (conversion, calibration solve/apply, imaging) on one simulated
# calibrator group, in-process (RadioStagesBenchmark, in the test classes).
# Usage: bench/radio-stages.sh [antennas subbands channels integrations max-image-size] [option ...]
#   options: sky=catalog (the simulator's NVSS-like sky, also the solve's field-model catalog; default: calibrator
#   alone), until=<stage> (stop after it), repeat=<n> (the chain n times in one JVM: run 1 fresh, later runs
#   warm), dir=<path> (reuse its simulated files), <stage>.<param>=<value> (a stage parameter, e.g.
#   calibration_solve.field-model=false).
#   default: 96 16 48 24 0 (a full-size DSA-110 group, the science.md 3.5 deg field). Heap: BENCH_XMX (default 14g).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o test-compile
./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
# a private copy of the classes, so a build during the run cannot pull them away
rm -rf target/bench-classes && mkdir -p target/bench-classes
cp -r target/classes target/bench-classes/main && cp -r target/test-classes target/bench-classes/test
exec java -Xmx"${BENCH_XMX:-14g}" -cp "target/bench-classes/main:target/bench-classes/test:$(cat target/bench.cp)" \
  org.dsa110.contimg.pipeline.builtin.RadioStagesBenchmark "$@"
