namespace Kiosque.Mirror;

/// <summary>A mirror folder or key the export refuses, with the reason for the operator.</summary>
public sealed class MirrorException(string message) : Exception(message);
