#!/bin/bash
# Live heap added to a running worker, side by side (issue 12): the peer harness's memory workload
# (benchworker.RunningWorker N 200 100, the task classes benchgen.Task0.. compiled by
# ManyTasksWorker.compile, agentmon with the flags PeerOverhead gives it, jmx_exporter with
# PeerOverhead's configuration), every configuration of a round started at once, measured once
# each has run every task, HOLD s (20) after start and one scrape later: the total of
# `jcmd <pid> GC.class_histogram` (a full GC first). Several agentmon jars can be compared.
#
# From the repository root, after `mvn -o -B -q package -DskipTests -pl bootstrap,agent,sample-worker,benchmarks`:
#   benchmarks/scripts/live-heap.sh DIR ROUNDS "10 1000" before=/path/old-agentmon.jar after=agent/target/agentmon.jar
# Prints per round lines and, per label count, the medians (MiB; added = less the bare JVM of the same
# round). Leaves DIR/<setup>-<N>-r<round>.histo (class histograms) and .log (the worker's output).
set -u
dir=$1; rounds=$2; sizes=$3; shift 3
root=$(pwd)
hold=${HOLD:-20}
benchjar=$root/benchmarks/target/benchmarks.jar
jmxjar=$root/benchmarks/target/peers/jmx_prometheus_javaagent.jar
mkdir -p "$dir"
cat > "$dir/Gen.java" <<'JAVA'
public class Gen { public static void main(String[] a) throws Exception { benchworker.ManyTasksWorker.compile(java.nio.file.Paths.get(a[0]), Integer.parseInt(a[1])); } }
JAVA
printf 'rules:\n- pattern: ".*"\n' > "$dir/jmx.yml"
setups=(bare "$@")
[ -f "$jmxjar" ] && setups+=(jmx)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
for n in $sizes; do
  [ -d "$dir/tasks$n/benchgen" ] || nice -n 15 java -cp "$benchjar" "$dir/Gen.java" "$dir/tasks$n" "$n"
  for round in $(seq "$rounds"); do
    # rotate the start order each round
    order=("${setups[@]:$((round % ${#setups[@]}))}" "${setups[@]:0:$((round % ${#setups[@]}))}")
    pids=(); names=(); ports=()
    for s in "${order[@]}"; do
      flags=(); port=""; name=${s%%=*}
      case $s in
        bare) ;;
        jmx) port=$(free_port); flags=("-javaagent:$jmxjar=127.0.0.1:$port:$dir/jmx.yml");;
        *=*) flags=("-javaagent:${s#*=}" -Dagentmon.port=0 -Dagentmon.host=127.0.0.1 '-Dagentmon.tasks=benchgen.Task*#run'
                    -Dagentmon.series.max=100000);;
      esac
      log=$dir/$name-$n-r$round.log
      nice -n 15 java -XX:NativeMemoryTracking=summary "${flags[@]}" -cp "$dir/tasks$n:$benchjar" \
          benchworker.RunningWorker "$n" 200 100 > "$log" 2>&1 < <(sleep $((hold + 600))) &
      pids+=($!); names+=("$name"); ports+=("$port")
    done
    sleep "$hold"
    for i in "${!names[@]}"; do
      log=$dir/${names[$i]}-$n-r$round.log
      for _ in $(seq 300); do grep -q "all tasks ran" "$log" && break; sleep 1; done
      grep -q "all tasks ran" "$log" || echo "WARN ${names[$i]} $n r$round: not every task ran"
      port=${ports[$i]}
      if [ "${names[$i]}" != bare ] && [ -z "$port" ]; then
        port=$(grep -o 'serving http://127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
      fi
      if [ -n "$port" ]; then
        labels=$(curl -s -H 'Accept: text/plain;version=0.0.4' "http://127.0.0.1:$port/metrics" \
            | grep '^agentmon_task_duration_seconds_count{' | grep -o 'task="[^"]*"' | sort -u | wc -l)
        [ "${names[$i]}" = jmx ] || [ "$labels" = "$n" ] || echo "WARN ${names[$i]} $n r$round: $labels task labels scraped"
      fi
    done
    sleep 2
    for i in "${!names[@]}"; do
      jcmd "${pids[$i]}" GC.class_histogram > "$dir/${names[$i]}-$n-r$round.histo"
      echo "$n labels, round $round: ${names[$i]} live $(awk '/^Total/{print $3}' "$dir/${names[$i]}-$n-r$round.histo") bytes"
    done
    for pid in "${pids[@]}"; do kill "$pid"; done
    wait 2>/dev/null
  done
done
python3 - "$dir" "$rounds" "$sizes" "${setups[@]}" <<'PY'
import sys, re, statistics
d, rounds, sizes, setups = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), [s.split('=')[0] for s in sys.argv[4:]]
def total(name, n, r):
    m = re.search(r'(?m)^Total\s+\d+\s+(\d+)', open('%s/%s-%s-r%d.histo' % (d, name, n, r)).read())
    return int(m.group(1))
print('| labels | ' + ' | '.join('bare JVM' if s == 'bare' else s + ' added' for s in setups) + ' |')
print('|---|' + '---|' * len(setups))
for n in sizes:
    row = []
    for s in setups:
        vals = [total(s, n, r) - (0 if s == 'bare' else total('bare', n, r)) for r in range(1, rounds + 1)]
        row.append(('%.2f' if s == 'bare' else '%+.2f') % (statistics.median(vals) / 1048576))
    print('| %s | %s |' % (n, ' | '.join(row)))
PY
