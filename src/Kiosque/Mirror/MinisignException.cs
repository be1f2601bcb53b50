namespace Kiosque.Mirror;

/// <summary>A key, signature or passphrase minisign's rules refuse; the message is for the operator or reader.</summary>
public sealed class MinisignException(string message) : Exception(message);
