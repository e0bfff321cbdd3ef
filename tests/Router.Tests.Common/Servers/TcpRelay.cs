using System.Net;
using System.Net.Sockets;

namespace Router.Tests.Common.Servers;

/// <summary>
/// A TCP relay on a free 127.0.0.1 port to a real server, so that a test can cut a client's
/// connection the way a network fault does (<see cref="Sever"/>: reset, no goodbye), or keep a
/// client out for a while (<see cref="Refuse"/>) while the test itself talks to the server directly.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly int _targetPort;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Down, Socket Up)> _pairs = [];
    private volatile bool _refusing;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>While true, new connections are reset as soon as they are accepted.</summary>
    public bool Refuse { get => _refusing; set => _refusing = value; }

    /// <summary>Resets every relayed connection on both sides, as a dropped network link would.</summary>
    public void Sever()
    {
        lock (_pairs)
        {
            foreach (var (down, up) in _pairs) { Reset(down); Reset(up); }
            _pairs.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket down;
            try { down = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            if (_refusing) { Reset(down); continue; }
            var up = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await up.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token); }
            catch (Exception) { Reset(up); Reset(down); continue; } // the server is down: so is the relay
            lock (_pairs) _pairs.Add((down, up));
            _ = PumpAsync(down, up);
            _ = PumpAsync(up, down);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) break;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception) { /* either side went away */ }
        // One side closed: close the other, so that the client sees what the server did.
        Reset(from);
        Reset(to);
        lock (_pairs) _pairs.RemoveAll(p => p.Down == from || p.Up == from);
    }

    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); } catch (Exception) { }
        try { socket.Close(); } catch (Exception) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Sever();
    }
}
