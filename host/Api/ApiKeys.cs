using System.Security.Cryptography;
using System.Text;

namespace Router.Host.Api;

/// <summary>Finding a presented secret among configured keys, for every API that takes keys.</summary>
public static class ApiKeys
{
    /// <summary>
    /// The index of <paramref name="given"/> among <paramref name="keys"/>, or -1. Every key is compared,
    /// each in constant time, so the answer's timing says nothing about the keys.
    /// </summary>
    public static int IndexOf(IReadOnlyList<string> keys, string? given)
    {
        if (given is null) return -1;
        var bytes = Encoding.UTF8.GetBytes(given);
        int found = -1;
        for (int i = 0; i < keys.Count; i++)
            if (CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(keys[i]))) found = i;
        return found;
    }
}
