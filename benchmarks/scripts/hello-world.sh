#!/bin/bash
# Hello world under agentmon jars and jmx_exporter, interleaved in one loop (issue 12): a class whose
# main calls one method, Hello#work, named as agentmon's one task; jmx_exporter 1.0.1 with
# `rules: [{pattern: ".*"}]` on a free loopback port. `/usr/bin/time -f "%e %U %S %M"` per run;
# prints the medians added over the bare JVM of the same loop, and each agent's ratio to jmx_exporter.
#
# From the repository root, after `mvn -o -B -q package -DskipTests -pl bootstrap,agent,sample-worker,benchmarks`
# (which fetches the peers into benchmarks/target/peers):
#   benchmarks/scripts/hello-world.sh JAVA ROUNDS before=/path/old-agentmon.jar now=agent/target/agentmon.jar
set -eu
java=$1; rounds=$2; shift 2
root=$(pwd)
jmxjar=$root/benchmarks/target/peers/jmx_prometheus_javaagent.jar
dir=$(mktemp -d)
cat > "$dir/Hello.java" <<'JAVA'
public class Hello {
    static void work() {
        System.out.println("hello");
    }

    public static void main(String[] args) {
        work();
    }
}
JAVA
"$(dirname "$java")/javac" --release 11 -d "$dir" "$dir/Hello.java"
printf 'rules:\n- pattern: ".*"\n' > "$dir/cfg.yaml"
run() { # name, then the command
  local name=$1; shift
  /usr/bin/time -o "$dir/time" -f "%e %U %S %M" "$@" > /dev/null 2>&1
  echo "$name $(cat "$dir/time")" >> "$dir/raw"
}
cd "$dir"
for round in $(seq 1 "$rounds"); do
  run bare "$java" -cp . Hello
  for agent in "$@"; do
    run "${agent%%=*}" "$java" "-javaagent:$(cd "$root" && realpath "${agent#*=}")" -Dagentmon.tasks=Hello#work -cp . Hello
  done
  run jmx_exporter "$java" "-javaagent:$jmxjar=127.0.0.1:0:cfg.yaml" -cp . Hello
done
python3 - "$dir/raw" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
median = {name: [statistics.median(r[i] for r in rs) for i in range(3)] for name, rs in runs.items()}
bare = median.pop("bare")
jmx = [median["jmx_exporter"][i] - bare[i] for i in range(3)]
print(f"bare: wall {bare[0]:.2f} s, CPU {bare[1]:.2f} s, peak RSS {bare[2]:.1f} MiB ({len(runs['bare'])} rounds)")
for name, m in median.items():
    added = [m[i] - bare[i] for i in range(3)]
    ratio = "" if name == "jmx_exporter" else "  ratio to jmx_exporter " + " / ".join(f"{a / j:.2f}" for a, j in zip(added, jmx))
    print(f"{name}: added wall +{added[0]:.2f} s, CPU +{added[1]:.2f} s, peak RSS +{added[2]:.1f} MiB{ratio}")
PY
rm -rf "$dir"
