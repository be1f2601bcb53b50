namespace Kiosque.Mirror;

/// <summary>What <see cref="EditionSignature.Verify"/> found: the signed edition and time, and every problem (none: the mirror is intact).</summary>
public sealed record EditionCheck(long? Edition, DateTime? Time, int Files, IReadOnlyList<string> Problems);
