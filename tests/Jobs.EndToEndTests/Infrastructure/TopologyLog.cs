using Microsoft.Extensions.Logging;

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// Everything the topology logs (the AppHost's own lines and, through Aspire's resource logging, every resource's
/// console output) into one file beside the screenshots: a failing browser test rarely says enough on its own.
/// </summary>
public sealed class TopologyLog(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(path) { AutoFlush = true };
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        lock (_gate)
        {
            // After Dispose, a late line from a stopping resource is dropped rather than thrown on a logging thread.
            if (_writer.BaseStream is { CanWrite: true })
            {
                _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-11} {category}: {message}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }

    private sealed class Logger(TopologyLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
