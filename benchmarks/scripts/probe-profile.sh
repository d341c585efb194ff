#!/bin/bash
# Where the woven probe's nanoseconds go (issue 12): one fork of a TaskProbeBenchmark benchmark with
# C2's print of the woven task method (-XX:CompileCommand=print: without hsdis, JDK 17 prints the
# code's bytes and the debug scopes of each pc), `perf record` of the forked JVM's user-space cycles
# while it measures, then probe-profile.py to charge the samples to the clock, to the method's
# instructions and, through the scopes, to agentmon's source lines.
#
# From the repository root, after `mvn -o -B -q install -DskipTests -Djcstress.skip`, on a machine
# with perf (Debian package linux-perf; kernel.perf_event_paranoid <= 2 is enough for user-space
# cycles of one's own process) and objdump (binutils):
#   benchmarks/scripts/probe-profile.sh DIR [BENCHMARK]       (BENCHMARK: successWoven)
# EVENT=cpu-clock samples by the kernel's timer where the guest has no hardware counters
# (`perf stat -e cycles:u true` says <not supported>); its samples skid a few instructions more.
# Takes about 45 s. Leaves DIR/jmh.log, DIR/perf.data and DIR/perf.txt; prints the tables.
set -eu
event=${EVENT:-cycles:u}
dir=$1; bench=${2:-successWoven}
mkdir -p "$dir"
method=benchworker.WovenTask::run
[ "$bench" = failureWoven ] && method=benchworker.WovenTask::fail
# -jvmArgsAppend replaces the annotation's arguments, so they are repeated here (TaskProbeBenchmark's @Fork).
args="-javaagent:agent/target/agentmon.jar -Dagentmon.tasks=benchworker.WovenTask#run,benchworker.WovenTask#fail"
args="$args -Dagentmon.port=0 -Dagentmon.host=127.0.0.1 -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,benchworker.*::*"
args="$args -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+DumpPerfMapAtExit -XX:CompileCommand=print,$method"
java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -w 2s -i 2 -r 12s "TaskProbeBenchmark.$bench\$" \
    -jvmArgsAppend "$args" > "$dir/jmh.log" 2>&1 &
jmh=$!
# The fork measures from about 8 s after it starts (JVM start, three 2 s warm-up iterations).
pid=
for _ in $(seq 100); do
  pid=$(pgrep -f 'org.openjdk.jmh.runner.ForkedMain' | head -1 || true)
  [ -n "$pid" ] && break
  sleep 0.2
done
[ -n "$pid" ] || { echo "no forked benchmark JVM started; see $dir/jmh.log" >&2; kill $jmh 2>/dev/null; exit 1; }
for _ in $(seq 150); do
  grep -q '^Iteration   1:' "$dir/jmh.log" 2>/dev/null && break
  sleep 0.2
done
perf record -q -e "$event" -F 4000 -p "$pid" -o "$dir/perf.data" -- sleep 10
wait $jmh
# JIT symbols come from /tmp/perf-<pid>.map, which -XX:+DumpPerfMapAtExit wrote as the fork ended.
perf script -i "$dir/perf.data" -F ip,sym,dso > "$dir/perf.txt" 2>/dev/null
python3 "$(dirname "$0")/probe-profile.py" "$dir" "$method"
