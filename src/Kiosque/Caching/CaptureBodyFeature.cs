using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Kiosque.Caching;

/// <summary>
/// Stands in for the server's response body while a page renders, so nothing reaches the client
/// (not even a flush or an early start) before the page cache has decided what to send.
/// </summary>
internal sealed class CaptureBodyFeature(MemoryStream buffer) : IHttpResponseBodyFeature
{
    private PipeWriter? _writer;

    public Stream Stream => buffer;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        if (count is long length)
        {
            var bytes = new byte[length];
            await file.ReadExactlyAsync(bytes, cancellationToken);
            await buffer.WriteAsync(bytes, cancellationToken);
        }
        else
        {
            await file.CopyToAsync(buffer, cancellationToken);
        }
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }
}
