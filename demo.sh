#!/usr/bin/env bash
# Builds agentmon and runs the sample worker under it until you press Ctrl-C.
# Usage: ./demo.sh [port]   (default 9200)
set -euo pipefail
cd "$(dirname "$0")"
port="${1:-9200}"

mvn -q -B package -DskipTests

echo "sample worker running under agentmon:"
echo "  live page:  http://127.0.0.1:${port}/"
echo "  metrics:    http://127.0.0.1:${port}/metrics    (try: curl -s http://127.0.0.1:${port}/metrics | grep agentmon_task)"
echo "  in flight:  http://127.0.0.1:${port}/tasks      summary: http://127.0.0.1:${port}/metrics/summary"
echo "  stop with Ctrl-C"
exec java \
  -javaagent:agent/target/agentmon.jar \
  -Dagentmon.port="${port}" -Dagentmon.host=127.0.0.1 \
  -Dagentmon.service=sample-worker \
  -Dagentmon.tasks='com.acme.worker.jobs.Job+#execute' \
  -Dagentmon.docker='com.acme.worker.containers.ContainerAllocator#allocate' \
  -Dagentmon.docker.cpu=arg0 -Dagentmon.docker.memory=arg1 \
  -Dagentmon.docker.release='com.acme.worker.containers.ContainerAllocator#release' \
  -Dagentmon.task.deadline=45ms \
  -Dagentmon.events.remote_call='com.acme.worker.remote.RemoteService#call' \
  -Dagentmon.events.remote_call.value=arg1 \
  -jar sample-worker/target/sample-worker.jar --rate 20 --print-every 10
