#!/usr/bin/env bash
# Measures leader failover with default timings: ./millrace cluster --nodes 3, a VerifiableProducer
# (acks=all, 200 records/s) and kill -9 of the partition leader; prints the time to the next ack.
# Usage: bash bench/failover.sh [checkout]   (run by hand; uses ports 9092-9094 and 19092-19094)
# The same on free ports, kill -9 and SIGSTOP, as a test: millrace-it FailoverTimeIT (see bench/README.md).
set -u
ROOT=${1:-$(pwd)}; DATA=/tmp/fo-data
# Kafka's tools on the class path, once: mvn -q -o dependency:build-classpath -pl millrace-it \
#   -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/it.cp
CP=$(cat /tmp/it.cp)
rm -rf "$DATA"
cd "$ROOT" && (setsid ./millrace cluster --nodes 3 --data-dir "$DATA" > /tmp/fo-cluster.out 2>&1 &)
for i in $(seq 1 120); do grep -q 'is up' /tmp/fo-cluster.out && break; sleep 1; done
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*21*/bin/java 2>/dev/null | head -1)}
$JAVA -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --create --topic fo \
  --partitions 1 --replication-factor 3 --config min.insync.replicas=2 2>&1 | tail -1
sleep 2
$JAVA -cp "$CP" org.apache.kafka.tools.VerifiableProducer --bootstrap-server 127.0.0.1:9092 --topic fo \
  --throughput 200 --acks -1 --max-messages 8000 > /tmp/vp.out 2>/tmp/vp.err &
VP=$!
sleep 10
LEADER=$(kcat -b 127.0.0.1:9092 -L -t fo | sed -n 's/.*leader \([0-9]*\),.*/\1/p' | head -1)
NODEPID=$(pgrep -f "$DATA/node-$LEADER/" | head -1)
KILLED_AT=$(date +%s%3N)
kill -9 "$NODEPID"
echo "killed leader $LEADER (pid $NODEPID) at $KILLED_AT"
wait $VP
python3 - "$KILLED_AT" <<'PY'
import json, sys
killed = int(sys.argv[1]); ts = []
for line in open('/tmp/vp.out'):
    try: e = json.loads(line)
    except Exception: continue
    if e.get('name') == 'producer_send_success': ts.append(e['timestamp'])
after = [t for t in ts if t > killed]
print("acks:", len(ts), "first ack after the kill:", (after[0] - killed) if after else None, "ms")
ts.sort(); gaps = [b - a for a, b in zip(ts, ts[1:])]
print("longest gap between acks:", max(gaps) if gaps else None, "ms")
PY
P=$(pgrep -f "Main cluster --nodes 3 --data-dir $DATA" | head -1); kill -TERM "$P"; sleep 8
