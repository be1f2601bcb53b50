namespace Kiosque.Mirror;

/// <summary>What one export did: files in the edition, pages requested, files written, kept as they were, removed.</summary>
public sealed record MirrorResult(long Edition, int Files, int Rendered, int Written, int Reused, int Removed);
