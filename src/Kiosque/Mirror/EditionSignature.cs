using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiosque.Mirror;

/// <summary>
/// A mirror's <c>SHA256SUMS</c> (what <c>sha256sum</c> writes: every file, sorted) and its minisign
/// signature <c>SHA256SUMS.minisig</c>, whose trusted comment carries the edition's time and
/// sequence number, so a reader can tell a stale or rolled-back mirror from the current one:
/// <c>minisign -Vm SHA256SUMS -p minisign.pub</c>, then <c>sha256sum -c SHA256SUMS</c>, or
/// <c>kiosque verify</c>, which does both and also refuses files the list does not name.
/// </summary>
public static partial class EditionSignature
{
    public const string SumsFile = "SHA256SUMS";
    public const string SignatureFile = "SHA256SUMS.minisig";

    /// <summary>Files of the folder that are not part of the signed edition.</summary>
    public static readonly string[] OutsideEdition = [SumsFile, SignatureFile, MirrorManifest.FileName];

    public static void Write(string directory, string staging, MirrorManifest manifest, MinisignSecretKey key, string site)
    {
        var sums = new StringBuilder();
        foreach (var (file, entry) in manifest.Files)
        {
            sums.Append(entry.Sha256).Append("  ").Append(file).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(sums.ToString());
        var time = manifest.EditionTime ?? DateTime.UtcNow;
        var trusted = string.Create(CultureInfo.InvariantCulture,
            $"timestamp:{new DateTimeOffset(time).ToUnixTimeSeconds()} edition:{manifest.Edition} time:{time:yyyy-MM-ddTHH:mm:ssZ} site:{site.Replace('\n', ' ')}");
        var signature = MinisignSignature.Sign(key, bytes, trusted, $"signature from Kiosque key {key.PublicKey.Id}");
        // The list then its signature: a reader who fetches between the two renames sees a
        // mismatch and fetches again, never a signature over a list that is not there.
        var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, Path.Combine(directory, SumsFile), overwrite: true);
        File.WriteAllText(temporary, signature);
        File.Move(temporary, Path.Combine(directory, SignatureFile), overwrite: true);
    }

    /// <summary>Checks a mirror folder as a reader's tool would.</summary>
    /// <param name="minimumEdition">Refuse an edition older than this (one the reader saw before: a rollback).</param>
    public static EditionCheck Verify(string directory, MinisignPublicKey key, long minimumEdition = 0)
    {
        var problems = new List<string>();
        var sumsPath = Path.Combine(directory, SumsFile);
        var signaturePath = Path.Combine(directory, SignatureFile);
        if (!File.Exists(sumsPath) || !File.Exists(signaturePath))
        {
            return new EditionCheck(null, null, 0, [$"{SumsFile} or {SignatureFile} is missing: this folder is not a signed edition."]);
        }
        var sums = File.ReadAllBytes(sumsPath);
        string trusted;
        try
        {
            trusted = MinisignSignature.Verify(key, sums, File.ReadAllText(signaturePath));
        }
        catch (MinisignException e)
        {
            return new EditionCheck(null, null, 0, [$"{SignatureFile}: {e.Message}"]);
        }
        var edition = TrustedEdition().Match(trusted) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : (long?)null;
        var time = TrustedTimestamp().Match(trusted) is { Success: true } t
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture)).UtcDateTime : (DateTime?)null;
        if (edition is null)
        {
            problems.Add($"The signed comment names no edition: \"{trusted}\".");
        }
        else if (edition < minimumEdition)
        {
            problems.Add($"Edition {edition} is older than edition {minimumEdition}, which you saw before: this mirror was rolled back or is stale.");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(sums).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = SumsLine().Match(line);
            if (!match.Success || match.Groups[2].Value.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(match.Groups[2].Value))
            {
                problems.Add($"{SumsFile} has a line that is not a checksum of a file in the mirror: \"{line}\".");
                continue;
            }
            var file = match.Groups[2].Value;
            listed.Add(file);
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                problems.Add($"{file}: missing.");
                continue;
            }
            using var stream = File.OpenRead(path);
            if (Convert.ToHexStringLower(SHA256.HashData(stream)) != match.Groups[1].Value)
            {
                problems.Add($"{file}: changed since the edition was signed.");
            }
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var file = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!listed.Contains(file) && !OutsideEdition.Contains(file))
            {
                problems.Add($"{file}: not part of the signed edition.");
            }
        }
        return new EditionCheck(edition, time, listed.Count, problems);
    }

    [GeneratedRegex(@"(?:^|\s)edition:([0-9]{1,18})(?:\s|$)")]
    private static partial Regex TrustedEdition();

    [GeneratedRegex(@"(?:^|\s)timestamp:([0-9]{1,12})(?:\s|$)")]
    private static partial Regex TrustedTimestamp();

    [GeneratedRegex("^([0-9a-f]{64})  (.+)$")]
    private static partial Regex SumsLine();
}
