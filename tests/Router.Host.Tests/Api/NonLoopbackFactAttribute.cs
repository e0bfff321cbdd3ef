using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// A fact that calls the API from a non-loopback address of this machine: reported skipped, with
/// the reason, where the machine has none (xunit 2 has no skip at run time).
/// </summary>
public sealed class NonLoopbackFactAttribute : FactAttribute
{
    public NonLoopbackFactAttribute()
    {
        if (Address is null) Skip = "this machine has no non-loopback IPv4 address to call the API from";
    }

    /// <summary>The first IPv4 address of an interface that is up, not loopback; null when there is none.</summary>
    public static IPAddress? Address { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
