#!/usr/bin/python3
# A GStreamer RTSP server for tests: serves /cam (a live test pattern, H.264) over TCP and UDP
# on 127.0.0.1:PORT. Run with /usr/bin/python3 (Debian's, which has gi). Prints READY when
# listening; stops on SIGTERM/SIGKILL.
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
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 threads=1 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print("FAILED to bind", flush=True)
    sys.exit(1)
print("READY", flush=True)
GLib.MainLoop().run()
