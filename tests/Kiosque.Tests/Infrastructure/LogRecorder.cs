using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kiosque.Tests.Infrastructure;

/// <summary>One warning or error the application logged.</summary>
public sealed record LoggedMessage(string Category, LogLevel Level, string Message);

/// <summary>
/// Keeps the warnings and errors a test site logs, so a test can say that viewing a page logs
/// nothing an operator would have to read (an operator learns to ignore a warning seen on every
/// page, and then misses the one that matters).
/// </summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedMessage> _messages = new();

    public IReadOnlyList<LoggedMessage> Messages => [.. _messages];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _messages);

    /// <summary>The host disposes its providers; the record outlives it, for the test to read.</summary>
    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<LoggedMessage> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.Enqueue(new LoggedMessage(category, logLevel, formatter(state, exception)));
            }
        }
    }
}
