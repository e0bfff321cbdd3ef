#!/usr/bin/env bash
# Peak and settled RSS of `router serve` under 8 parallel uploads of a small file claiming a
# huge picture (issue 12, item 2). Loopback only; bounded; not part of `./router test`.
#   tests/scripts/upload-rss.sh [ROUTER_DLL]      (default: .cache/bin/router.dll)
# Prints, for each upload kind, the HTTP statuses, VmHWM (peak) and VmRSS 5 s after.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dll=${1:-$root/.cache/bin/router.dll}
export ROUTER_ASSETS="${ROUTER_ASSETS:-$root/.cache/assets}"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; cat "$work/serve.log" >&2; rm -rf "$work"' EXIT

# The issue's files: a 16-bit RGB PNG of 10000x10000 black pixels (~583 KB) and an 8-bit one.
python3 - "$work" <<'PY'
import struct, sys, zlib
def png(path, w, h, depth):
    raw = zlib.compressobj(9)
    row = b"\0" * (1 + w * 3 * depth // 8)
    body = b"".join(raw.compress(row) for _ in range(h)) + raw.flush()
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, 2, 0, 0, 0)) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
png(sys.argv[1] + "/png16.png", 10000, 10000, 16)
png(sys.argv[1] + "/png8.png", 10000, 10000, 8)
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
Logging__LogLevel__Default=Warning dotnet "$dll" serve --urls "http://127.0.0.1:$port" --data "$work/data" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/v1/galleries" > /dev/null && break; sleep 0.5; done
rss() { awk -v f="$1:" '$1 == f { printf "%d MB", $2 / 1024 }' "/proc/$pid/status"; }
echo "router: $dll; idle RSS $(rss VmRSS)"
for kind in png16 png8; do
  echo 5 > "/proc/$pid/clear_refs"
  statuses=$(for _ in $(seq 1 8); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 --data-binary "@$work/$kind.png" "http://127.0.0.1:$port/v1/detect" & done; wait)
  peak=$(rss VmHWM)
  sleep 5
  echo "$kind ($(stat -c %s "$work/$kind.png") bytes) x8: statuses $(echo "$statuses" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')peak RSS $peak, 5 s later $(rss VmRSS)"
done
