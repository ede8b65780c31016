using Microsoft.Extensions.Logging;

namespace ImsCrawler.Migrator.Logging;

/// <summary>
/// Single-line log output for a command-line tool: information to <c>output</c> as the bare message,
/// warnings and errors to <c>errorOutput</c> prefixed "warning:"/"error:". Writing to given writers
/// (not the console) lets tests run the Migrator in process and read what it said.
/// </summary>
public sealed class PlainTextLoggerProvider(TextWriter output, TextWriter errorOutput) : ILoggerProvider
{
    private readonly Lock writeLock = new();

    public ILogger CreateLogger(string categoryName) => new PlainTextLogger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        var line = exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})";
        lock (writeLock)
        {
            if (level >= LogLevel.Warning)
                errorOutput.WriteLine($"{(level == LogLevel.Warning ? "warning" : "error")}: {line}");
            else
                output.WriteLine(line);
        }
    }

    private sealed class PlainTextLogger(PlainTextLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                provider.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
