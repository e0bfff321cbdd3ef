#!/usr/bin/python3
# A GStreamer RTSP server for tests, on 127.0.0.1:PORT over TCP and UDP. Run with /usr/bin/python3
# (Debian's, which has gi). Prints READY when listening; stops on SIGTERM/SIGKILL.
#
#   rtsp_gst_server.py PORT [NAME=UDPPORT ...]
#
# /cam is always there: a live test pattern (H.264), needing no publisher.
# Each NAME=UDPPORT adds a relay mount /NAME that serves the H.264 RTP an ffmpeg publisher sends to
# udp://127.0.0.1:UDPPORT (ffmpeg ... -c copy -f rtp rtp://127.0.0.1:UDPPORT). The relay re-packs
# the RTP (depay, pay) rather than forwarding it so that clients get clean sequence numbers and
# timestamps across publisher restarts and loops; the publisher's clip must carry its SPS/PPS in
# band (x264 repeat-headers=1) since a client may join at any point and no SDP comes from ffmpeg.
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port = sys.argv[1]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
mounts = server.get_mount_points()

pattern = GstRtspServer.RTSPMediaFactory()
pattern.set_launch(
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 threads=1 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )")
pattern.set_shared(True)
mounts.add_factory("/cam", pattern)

for relay in sys.argv[2:]:
    name, udp_port = relay.split("=", 1)
    factory = GstRtspServer.RTSPMediaFactory()
    # The udpsrc binds when the first client plays the mount (shared media: one for all clients);
    # until then the publisher's datagrams are simply dropped, which ffmpeg does not mind.
    factory.set_launch(
        f"( udpsrc address=127.0.0.1 port={int(udp_port)} "
        "caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96\" "
        "! rtpjitterbuffer latency=100 ! rtph264depay ! h264parse "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )")
    factory.set_shared(True)
    mounts.add_factory("/" + name, factory)

if server.attach(None) == 0:
    print("FAILED to bind", flush=True)
    sys.exit(1)
print("READY", flush=True)
GLib.MainLoop().run()
