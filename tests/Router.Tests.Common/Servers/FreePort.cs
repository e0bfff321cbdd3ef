using System.Net;
using System.Net.Sockets;

namespace Router.Tests.Common.Servers;

/// <summary>Ports on 127.0.0.1 that were free a moment ago, for test servers that run in parallel.</summary>
public static class FreePort
{
    /// <summary>A free TCP port (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// An even port starting <paramref name="count"/> consecutive UDP ports that are free now. RTP
    /// senders use the next port up for RTCP, so a lone free port is not enough: another test's
    /// RTP port could be our RTCP port. Random even starts keep parallel tests' blocks apart.
    /// </summary>
    public static int UdpBlock(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = 30000 + 2 * Random.Shared.Next(0, 14000);
            var sockets = new List<UdpClient>();
            try
            {
                for (var p = start; p < start + count; p++)
                    sockets.Add(new UdpClient(new IPEndPoint(IPAddress.Loopback, p)));
                return start;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var s in sockets) s.Dispose();
            }
        }
        throw new InvalidOperationException($"no free block of {count} UDP ports");
    }
}
