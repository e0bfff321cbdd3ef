#!/usr/bin/python3
# The latency benchmark's RTSP server (GStreamer, 127.0.0.1:PORT, TCP and UDP): /bench serves the
# H.264 RTP an ffmpeg encoder sends to udp://127.0.0.1:UDPPORT, re-packed (depay, pay) so that a
# client joining at any point gets clean sequence numbers. Unlike the tests' server it has no jitter
# buffer (on loopback packets come in order; a jitter buffer would add its latency to every frame)
# and a 4 MiB socket buffer, so that a key frame's burst of packets is not dropped. Prints READY.
#
#   rtsp_relay.py PORT UDPPORT
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port, udp_port = sys.argv[1], int(sys.argv[2])
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f"( udpsrc address=127.0.0.1 port={udp_port} buffer-size=4194304 "
    "caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96\" "
    "! rtph264depay ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/bench", factory)
if server.attach(None) == 0:
    print("FAILED to bind", flush=True)
    sys.exit(1)
print("READY", flush=True)
GLib.MainLoop().run()
