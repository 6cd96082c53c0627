# Shared by the bench scripts (source it after `cd` to the project root): compiles the test classes and resolves
# the test classpath once into target/bench.classpath (maven-dependency-plugin; needs Maven Central on the first
# run and after pom.xml changes), then prints the load, so every figure carries the machine's state.
# bench_classpath: sets BENCH_CP to "target/test-classes:target/classes:<dependencies>".
bench_classpath() {
  ./mvnw -B -q test-compile
  local cp=target/bench.classpath
  if [ ! -s "$cp" ] || [ pom.xml -nt "$cp" ]; then
    ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
  fi
  BENCH_CP="target/test-classes:target/classes:$(cat "$cp")"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
}
