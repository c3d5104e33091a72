using System.Runtime.InteropServices;

namespace Jobs.Hosting.Local;

/// <summary>
/// Sends a signal to one process. .NET only offers SIGKILL (Process.Kill); servers need the gentler ones:
/// SIGINT is PostgreSQL's fast shutdown, SIGTERM the polite stop of Redis and ASP.NET Core.
/// </summary>
internal static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    public static bool Send(int pid, int signal) => NativeKill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
