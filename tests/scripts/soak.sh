#!/usr/bin/env bash
# Soak: `router run` on its demo plus N live RTSP cameras (GStreamer's test pattern on a loopback
# RTSP server) for MINUTES, sampling the process every INTERVAL seconds: RSS, threads, open file
# descriptors, ffmpeg children, events routed and camera states. Loopback only; bounded by
# MINUTES; not part of `./router test` (issue 12).
#   tests/scripts/soak.sh MINUTES [CAMERAS=3] [INTERVAL=30]     (after ./router setup)
# Prints one CSV line per sample and a summary (first, last, min, max) at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
minutes=${1:?minutes}; cameras=${2:-3}; interval=${3:-30}
dll=$root/.cache/bin/router.dll
export ROUTER_ASSETS="${ROUTER_ASSETS:-$root/.cache/assets}"
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rtsp_port=$(free_port); api_port=$(free_port)
cleanup() {
  kill "$router_pid" "$rtsp_pid" 2>/dev/null || true
  wait "$router_pid" "$rtsp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 "$root/tests/Router.Tests.Common/Servers/rtsp_gst_server.py" "$rtsp_port" > "$work/rtsp.log" 2>&1 &
rtsp_pid=$!
for _ in $(seq 1 50); do grep -q READY "$work/rtsp.log" && break; sleep 0.2; done

Logging__LogLevel__Default=Warning Events__LogEvents=false dotnet "$dll" run --urls="http://127.0.0.1:$api_port" --DataDir="$work/data" > "$work/router.log" 2>&1 &
router_pid=$!
api="http://127.0.0.1:$api_port"
for _ in $(seq 1 240); do curl -sf "$api/healthz" > /dev/null && break; sleep 0.5; done
for i in $(seq 1 "$cameras"); do
  curl -sf -X PUT "$api/v1/cameras/soak$i" -H 'Content-Type: application/json' \
    -d "{\"stream_url\":\"rtsp://127.0.0.1:$rtsp_port/cam\",\"settings\":{\"detect_fps\":5}}" > /dev/null
done

status() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$router_pid/status"; }
echo "minute,rss_mb,threads,fds,ffmpeg,events_routed,streaming_cameras,load1"
end=$(( $(date +%s) + minutes * 60 )); start=$(date +%s)
samples="$work/samples.csv"
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$interval"
  kill -0 "$router_pid" 2>/dev/null || { echo "router exited:"; tail -20 "$work/router.log"; exit 1; }
  rss=$(( $(status VmRSS) / 1024 )); threads=$(status Threads); fds=$(ls "/proc/$router_pid/fd" | wc -l)
  ffmpeg=$(pgrep -P "$router_pid" -c ffmpeg || true)
  routed=$(curl -sf "$api/v1/events?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["routing"]["routed"])')
  streaming=$(curl -sf "$api/v1/cameras" | python3 -c 'import json,sys; print(sum(c["status"]["state"]=="streaming" for c in json.load(sys.stdin)["cameras"]))')
  line="$(( ($(date +%s) - start) / 60 )),$rss,$threads,$fds,$ffmpeg,$routed,$streaming,$(cut -d' ' -f1 /proc/loadavg)"
  echo "$line" | tee -a "$samples"
done
python3 - "$samples" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
names = ["minute", "rss_mb", "threads", "fds", "ffmpeg", "events_routed", "streaming_cameras", "load1"]
print("summary: " + "; ".join(f"{n} first {rows[0][i]} last {rows[-1][i]} min {min(float(r[i]) for r in rows):g} max {max(float(r[i]) for r in rows):g}"
                               for i, n in enumerate(names) if i > 0))
PY
