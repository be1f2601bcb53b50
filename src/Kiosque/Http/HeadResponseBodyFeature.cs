using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Kiosque.Http;

/// <summary>
/// The response body of a <c>HEAD</c>: headers go out as for the <c>GET</c> (Content-Length
/// included), body bytes are dropped here rather than relying on the server to drop them (Kestrel
/// does; the test server does not), and a file is never read for it.
/// </summary>
internal sealed class HeadResponseBodyFeature(IHttpResponseBodyFeature server) : IHttpResponseBodyFeature
{
    private PipeWriter? _writer;

    public Stream Stream => Stream.Null;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream.Null);

    public void DisableBuffering() => server.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => server.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => server.StartAsync(cancellationToken);

    public Task CompleteAsync() => server.CompleteAsync();
}
