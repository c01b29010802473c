using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Oversight.Api.Tests.Support;

/// <summary>Errors the test host logged (with their exceptions), so a test that meets a 500 can say why.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public string Last => _entries.LastOrDefault() ?? "(nothing logged)";

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log._entries.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
