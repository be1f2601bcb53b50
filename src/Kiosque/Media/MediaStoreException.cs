namespace Kiosque.Media;

/// <summary>
/// The media store could not be reached or refused a request (a shared store down, a wrong key).
/// An <see cref="IOException"/>, so callers that already survive a full disk survive this too.
/// </summary>
public sealed class MediaStoreException(string message, Exception? inner = null) : IOException(message, inner);
