#!/usr/bin/env bash
# Cluster benchmark (issue 10): K local `router run` nodes over one PostgreSQL and one Redis, with C RTSP
# cameras (GStreamer's RTSP server relaying an ffmpeg publisher that loops a still of sample1.jpg: faces,
# hence events). Prints, with the load average before and after:
#   - takeover time after SIGKILL of a node that runs cameras (p50/max over KILLS kills; the killed node
#     is started again and the cameras rebalanced before the next kill), then the same after SIGTERM;
#   - gallery write-to-visible latency across nodes (a face added on node i, readable from node i+1's
#     index: p50/p99 over WRITES writes);
#   - events per second through the deployment (routed by all nodes, over 20 s);
#   - the CPU overhead of clustering: a node with no camera, Cluster:Enabled vs off, over 20 s each.
# Loopback only, bounded; not part of `./router test`.
#   tests/scripts/bench-cluster.sh [K=3] [CAMERAS=6] [KILLS=3] [WRITES=50]
# Needs the built router (ROUTER_DLL, default host/bin/Release/net10.0/router.dll), PostgreSQL 15,
# redis-server, GStreamer's RTSP server (python3-gi) and ffmpeg, as `./router test` does.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ROUTER_DLL="${ROUTER_DLL:-$root/host/bin/Release/net10.0/router.dll}"
export ROUTER_ASSETS="${ROUTER_ASSETS:-$root/.cache/assets}"
export BENCH_K=${1:-3} BENCH_CAMERAS=${2:-6} BENCH_KILLS=${3:-3} BENCH_WRITES=${4:-50} BENCH_ROOT=$root
exec python3 - <<'PY'
import json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request, urllib.error

K, C, KILLS, WRITES = (int(os.environ[k]) for k in ("BENCH_K", "BENCH_CAMERAS", "BENCH_KILLS", "BENCH_WRITES"))
root, dll, assets = os.environ["BENCH_ROOT"], os.environ["ROUTER_DLL"], os.environ["ROUTER_ASSETS"]
work = tempfile.mkdtemp(prefix="bench-cluster-"); os.chmod(work, 0o755)  # PostgreSQL runs as postgres under root
procs = []
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def run(*a, **kw): return subprocess.run(list(a), check=True, capture_output=True, text=True, **kw)
def spawn(args, log, **kw):
    p = subprocess.Popen(args, stdout=open(log, "w"), stderr=subprocess.STDOUT, **kw); procs.append(p); return p
def load(): return open("/proc/loadavg").read().split()[:3]
def pct(xs, q): xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

def http(method, url, body=None, ctype="application/json", timeout=10):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        text = r.read()
        return json.loads(text) if text else None

try:
    print(f"load average before: {' '.join(load())}  (nproc {os.cpu_count()})", flush=True)
    # PostgreSQL 15 in a temp folder (as 'postgres' when root), Redis, the RTSP server and publishers.
    pg_bin = "/usr/lib/postgresql/15/bin"; pg_dir = os.path.join(work, "pg"); os.makedirs(pg_dir)
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0: run("chown", "postgres:postgres", pg_dir)
    pg_port = free_port()
    run(*as_pg, f"{pg_bin}/initdb", "-D", f"{pg_dir}/data", "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
    run(*as_pg, f"{pg_bin}/pg_ctl", "-D", f"{pg_dir}/data", "-l", f"{pg_dir}/log", "-w", "-o",
        f"-p {pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={pg_dir} -c max_connections=200", "start")
    run(*as_pg, f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "bench")
    pg = f"Host=127.0.0.1;Port={pg_port};Username=postgres;Database=bench"
    redis_port = free_port()
    spawn(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"], f"{work}/redis.log")
    clip = f"{work}/clip.mp4"
    run("ffmpeg", "-y", "-v", "error", "-loop", "1", "-framerate", "25", "-i", f"{assets}/photos/sample1.jpg", "-t", "4",
        "-vf", "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
        "-r", "25", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "0", "-x264-params", "repeat-headers=1", "-an", clip)
    rtsp_port = free_port()
    relays = {f"cam{i}": free_port() for i in range(1, C + 1)}
    rtsp = spawn(["/usr/bin/python3", f"{root}/tests/Router.Tests.Common/Servers/rtsp_gst_server.py", str(rtsp_port)]
                 + [f"{n}={p}" for n, p in relays.items()], f"{work}/rtsp.log")
    for _ in range(100):
        if "READY" in open(f"{work}/rtsp.log").read(): break
        time.sleep(0.1)
    for name, udp in relays.items():
        spawn(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip,
               "-c", "copy", "-f", "rtp", f"rtp://127.0.0.1:{udp}"], f"{work}/pub-{name}.log", stdin=subprocess.DEVNULL)

    ports = {}
    def start_node(name, cluster=True, port=None):
        port = port or ports.get(name) or free_port(); ports[name] = port
        d = f"{work}/{name}"; os.makedirs(f"{d}/plugins", exist_ok=True)
        settings = {"urls": f"http://127.0.0.1:{port}", "DataDir": f"{d}/data", "Demo:Enabled": "false",
                    "Plugins:Directory": f"{d}/plugins", "Plugins:ShadowDirectory": f"{d}/shadow", "Plugins:HotReload": "false",
                    "Galleries:Store": "postgres", "Galleries:PostgresConnectionString": pg, "Galleries:FollowChanges": "true",
                    "Galleries:DetectionCache": "redis", "Galleries:RedisConfiguration": f"127.0.0.1:{redis_port}",
                    "Cluster:Enabled": "true" if cluster else "false", "Cluster:NodeName": name,
                    "Logging:LogLevel:Default": "Warning", "Logging:LogLevel:Router.Host.Cluster": "Information"}
        for p in ("watchlist", "visitors", "eventlog", "mqtt"): settings[f"Plugins:Items:{p}:Enabled"] = "false"
        p = spawn(["dotnet", dll, "run"] + [f"--{k}={v}" for k, v in settings.items()], f"{d}/router.log")
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2); return p, port
            except Exception: time.sleep(0.2)
        raise SystemExit(f"{name} did not start: {open(f'{d}/router.log').read()[-3000:]}")
    def cpu_seconds(pid):
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    # Clustering's own CPU: one idle node, on and off, 20 s each.
    overhead = {}
    for cluster in (False, True):
        p, port = start_node("idle" + ("c" if cluster else "s"), cluster)
        time.sleep(10)
        a = cpu_seconds(p.pid); time.sleep(20); b = cpu_seconds(p.pid)
        overhead[cluster] = (b - a) / 20 * 100
        p.send_signal(signal.SIGTERM); p.wait(30)
    print(f"idle node CPU: {overhead[False]:.2f} % of a core single-box, {overhead[True]:.2f} % with Cluster:Enabled "
          f"(clustering: {overhead[True] - overhead[False]:+.2f} % of a core)", flush=True)

    nodes = {}
    for i in range(1, K + 1):
        nodes[f"node{i}"] = start_node(f"node{i}")
    api = lambda n: f"http://127.0.0.1:{nodes[n][1]}"
    first = next(iter(nodes))
    for name in relays:
        http("PUT", f"{api(first)}/v1/cameras/{name}", {"stream_url": f"rtsp://127.0.0.1:{rtsp_port}/{name}",
             "settings": {"detect_fps": 2, "bs_type": "realtime", "realtime_post_interval": 1, "realtime_post_every_interval": True, "filter_min_quality": 0}})

    def running(n):
        try: return {c["id"]: c["statistics"]["frames_processed"] for c in http("GET", f"{api(n)}/v1/cameras", timeout=3)["cameras"] if "statistics" in c}
        except Exception: return {}
    def streaming():
        a = {n: running(n) for n in nodes}; time.sleep(0.6); b = {n: running(n) for n in nodes}
        return {cam: n for n in nodes for cam, f in b[n].items() if f > a[n].get(cam, f)}
    def wait_balanced(limit):
        share = -(-C // len(nodes)); t = time.time()
        while time.time() - t < limit:
            s = streaming()
            if len(s) == C and all(list(s.values()).count(n) <= share for n in nodes): return time.time() - t
            time.sleep(0.3)
        raise SystemExit(f"cameras not balanced within {limit} s: {streaming()}")
    print(f"{K} nodes, {C} cameras streaming and balanced after {wait_balanced(120):.1f} s", flush=True)

    # Events per second over the deployment.
    def routed(): return sum(http("GET", f"{api(n)}/v1/events?limit=1")["routing"]["routed"] for n in nodes)
    e0 = routed(); time.sleep(20); e1 = routed()
    cpu = {n: cpu_seconds(nodes[n][0].pid) for n in nodes}
    print(f"events: {(e1 - e0) / 20:.1f} /s routed through the deployment ({C} cameras, detect_fps 2, a face event a second a face)", flush=True)

    # Gallery write on one node -> readable from the next node's index.
    http("POST", f"{api(first)}/v1/galleries/bench")
    photo = open(f"{assets}/photos/sample2.jpg", "rb").read()
    names = list(nodes)
    detections = {n: http("POST", f"{api(n)}/v1/detect?facen=true", photo, "image/jpeg", timeout=60) for n in names}
    def det_id(d):
        faces = d.get("faces") or d.get("detections") or d.get("results") or []
        return faces[0]["id"]
    lat = []
    for i in range(WRITES):
        a, b = names[i % len(names)], names[(i + 1) % len(names)]
        face = http("POST", f"{api(a)}/v1/galleries/bench/faces", {"from": f"detection:{det_id(detections[a])}", "meta": {"i": str(i)}})
        fid = face["id"] if not isinstance(face["id"], dict) else face["id"]["face"]
        t = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"{api(b)}/v1/galleries/bench/faces/{fid}", timeout=3); break
            except urllib.error.HTTPError: time.sleep(0.002)
            if time.perf_counter() - t > 10: raise SystemExit(f"face {fid} not visible on {b} after 10 s")
        lat.append((time.perf_counter() - t) * 1000)
    print(f"gallery write -> visible on another node: p50 {pct(lat, .5):.1f} ms, p99 {pct(lat, .99):.1f} ms, max {max(lat):.1f} ms over {len(lat)} writes", flush=True)

    # Takeover after SIGKILL (the grace applies), then after SIGTERM (a clean stop hands the cameras over).
    def takeover(sig, label):
        times, rejoins = [], []
        for k in range(KILLS):
            s = streaming()
            victim = next(n for n in nodes if n in s.values())
            moved = [c for c, n in s.items() if n == victim]
            p, port = nodes.pop(victim)
            t = time.time(); p.send_signal(sig); p.wait(60)
            while True:
                s = streaming()
                if all(c in s for c in moved): break
                if time.time() - t > 60: raise SystemExit(f"{moved} not taken over within 60 s")
            times.append(time.time() - t)
            print(f"  {label} {k + 1}: {victim} ran {', '.join(moved)}: streaming elsewhere after {times[-1]:.1f} s", flush=True)
            nodes[victim] = start_node(victim, port=port)
            rejoins.append(wait_balanced(120))
        print(f"takeover after {label}: p50 {statistics.median(times):.1f} s, max {max(times):.1f} s over {len(times)} stops; "
              f"the node back: balanced again (hand-overs) after p50 {statistics.median(rejoins):.1f} s of its start", flush=True)
    takeover(signal.SIGKILL, "SIGKILL")
    takeover(signal.SIGTERM, "SIGTERM")
    print("(defaults: TickInterval 1 s, FenceAfter 4 s, TakeoverGrace 5 s)", flush=True)
    print(f"load average after: {' '.join(load())}", flush=True)
finally:
    for p in reversed(procs):
        try: p.kill(); p.wait(10)
        except Exception: pass
    try:
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(as_pg + ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", f"{work}/pg/data", "-m", "immediate", "stop"], capture_output=True)
    except Exception: pass
    shutil.rmtree(work, ignore_errors=True)
PY
