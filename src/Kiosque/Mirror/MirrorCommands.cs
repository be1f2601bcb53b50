using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kiosque.Cli;
using Spectre.Console;

namespace Kiosque.Mirror;

/// <summary>
/// <c>kiosque keys generate</c>, <c>kiosque export mirror DIR</c> and <c>kiosque verify DIR</c>:
/// the newsroom's minisign key pair, the signed static mirror, and the check a reader runs on one.
/// </summary>
public static class MirrorCommands
{
    /// <summary>Where the passphrase of the secret key is read from when no one is at a terminal.</summary>
    public const string PassphraseVariable = "KIOSQUE_MINISIGN_PASSWORD";

    /// <summary>
    /// <c>~/.config/kiosque</c>: the secret key stays out of the data directory, which is backed up,
    /// copied between nodes and readable by the server.
    /// </summary>
    public static string DefaultKeyFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "kiosque");

    public static Command Keys(CliTerminal terminal)
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = $"Folder for minisign.key and minisign.pub (default {DefaultKeyFolder})." };
        var unencrypted = new Option<bool>("--unencrypted") { Description = "Write the secret key without a passphrase (anyone who reads the file can sign editions)." };
        var force = new Option<bool>("--force") { Description = "Replace a key pair already in the folder." };
        var generate = new Command("generate", $"Make the newsroom's minisign key pair; the passphrase is read from {PassphraseVariable}, or asked for at a terminal.") { output, unencrypted, force };
        generate.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(output)?.FullName ?? DefaultKeyFolder;
            var secretPath = Path.Combine(folder, "minisign.key");
            var publicPath = Path.Combine(folder, "minisign.pub");
            if (!parse.GetValue(force) && (File.Exists(secretPath) || File.Exists(publicPath)))
            {
                await terminal.Error.WriteLineAsync($"{folder} already holds a key pair: nothing was written (--force replaces it, and mirrors signed with the old key will no longer verify).");
                return 2;
            }
            string? passphrase = null;
            if (!parse.GetValue(unencrypted))
            {
                (passphrase, var refusal) = await NewPassphraseAsync(terminal);
                if (passphrase is null)
                {
                    await terminal.Error.WriteLineAsync(refusal);
                    return 2;
                }
            }
            var key = MinisignSecretKey.Generate();
            Directory.CreateDirectory(folder);
            WriteSecret(secretPath, key.FileText(passphrase));
            File.WriteAllText(publicPath, key.PublicKey.FileText);
            terminal.Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[green]Key pair {key.PublicKey.Id} written:[/] {secretPath} (secret{(passphrase is null ? ", unencrypted" : "")}) and {publicPath} (public).");
            terminal.Console.WriteLine($"Publish it with --Kiosque:Signing:PublicKeyFile={publicPath}; sign mirrors with --key {secretPath} or --Kiosque:Signing:SecretKeyFile={secretPath}.");
            return 0;
        });
        return new Command("keys", "The newsroom's minisign key pair, which signs mirror editions.") { generate };
    }

    public static Command Export(Func<IServiceProvider> host, IReadOnlyList<string> configArgs, CliTerminal terminal)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The mirror's folder: new, empty, or a mirror made before (only what changed is written again)." };
        var keyFile = new Option<FileInfo?>("--key") { Description = "The minisign secret key that signs the edition (default Kiosque:Signing:SecretKeyFile)." };
        var mirror = new Command("mirror", $"Write the public site as signed static files (SHA256SUMS and SHA256SUMS.minisig); the key's passphrase is read from {PassphraseVariable}, or asked for at a terminal.") { folder, keyFile };
        mirror.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = host().GetRequiredService<IConfiguration>();
            var keyPath = parse.GetValue(keyFile)?.FullName ?? configuration[$"{SigningOptions.Section}:SecretKeyFile"];
            if (string.IsNullOrEmpty(keyPath))
            {
                await terminal.Error.WriteLineAsync("No signing key: give --key FILE or Kiosque:Signing:SecretKeyFile (kiosque keys generate makes a key pair).");
                return 2;
            }
            MinisignSecretKey key;
            try
            {
                key = MinisignSecretKey.ReadFile(keyPath, () => ReadPassphrase(terminal));
            }
            catch (MinisignException e)
            {
                await terminal.Error.WriteLineAsync(e.Message);
                return 2;
            }
            var target = parse.GetValue(folder)!.FullName;
            var started = Stopwatch.StartNew();
            MirrorResult result;
            var startup = TimeSpan.Zero;
            try
            {
                await using var site = await MirrorSite.StartAsync(configArgs, cancellationToken);
                startup = started.Elapsed;
                if (terminal.Console.Profile.Capabilities.Interactive)
                {
                    result = await terminal.Console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask("Pages", maxValue: 1);
                            var done = await MirrorExport.RunAsync(site, target, key, (count, seen) =>
                            {
                                task.MaxValue = Math.Max(seen, 1);
                                task.Value = count;
                            }, cancellationToken);
                            task.Value = task.MaxValue;
                            return done;
                        });
                }
                else
                {
                    var next = 1000;
                    result = await MirrorExport.RunAsync(site, target, key, (count, seen) =>
                    {
                        if (count >= Volatile.Read(ref next) && Interlocked.Exchange(ref next, count + 1000) <= count)
                        {
                            terminal.Out.WriteLine($"{count} addresses visited, {seen} files so far…");
                        }
                    }, cancellationToken);
                }
            }
            catch (MirrorException e)
            {
                await terminal.Error.WriteLineAsync(e.Message);
                return 2;
            }
            var seconds = started.Elapsed.TotalSeconds;
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Edition {result.Edition} signed with key {key.PublicKey.Id}: {result.Files} files in {target}; {result.Rendered} requested, {result.Written} written, {result.Reused} unchanged, {result.Removed} removed, in {seconds:F1} s (site started in {startup.TotalSeconds:F1} s, then {result.Rendered / Math.Max(seconds - startup.TotalSeconds, 0.001):F0} pages/s)."));
            return 0;
        });
        return new Command("export", "Copies of the public site.") { mirror };
    }

    public static Command Verify(Func<IServiceProvider> host, CliTerminal terminal)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A mirror's folder (with SHA256SUMS and SHA256SUMS.minisig)." };
        var publicKey = new Option<FileInfo?>("--pub") { Description = "The newsroom's minisign public key (default Kiosque:Signing:PublicKeyFile)." };
        var minimum = new Option<long>("--min-edition") { Description = "Refuse an edition older than this one (the last you saw): a stale or rolled-back mirror." };
        var verify = new Command("verify", "Check a mirror as a reader would: the signature, every file's checksum, and no file the edition does not list.") { folder, publicKey, minimum };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var keyPath = parse.GetValue(publicKey)?.FullName ?? host().GetRequiredService<IConfiguration>()[$"{SigningOptions.Section}:PublicKeyFile"];
            if (string.IsNullOrEmpty(keyPath))
            {
                await terminal.Error.WriteLineAsync("No public key: give --pub FILE (the newsroom publishes it at /.well-known/kiosque/minisign.pub).");
                return 2;
            }
            var directory = parse.GetValue(folder)!.FullName;
            if (!Directory.Exists(directory))
            {
                await terminal.Error.WriteLineAsync($"{directory}: no such folder.");
                return 2;
            }
            EditionCheck check;
            try
            {
                check = EditionSignature.Verify(directory, MinisignPublicKey.ReadFile(keyPath), parse.GetValue(minimum));
            }
            catch (MinisignException e)
            {
                await terminal.Error.WriteLineAsync(e.Message);
                return 2;
            }
            if (check.Problems.Count > 0)
            {
                foreach (var problem in check.Problems.Take(50))
                {
                    await terminal.Error.WriteLineAsync(problem);
                }
                await terminal.Error.WriteLineAsync($"NOT VERIFIED: {check.Problems.Count} problem(s); do not trust this mirror.");
                return 1;
            }
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Verified: edition {check.Edition} of {check.Time:yyyy-MM-dd HH:mm} UTC, {check.Files} files, signed by key {MinisignPublicKey.ReadFile(keyPath).Id}."));
            return 0;
        });
        return verify;
    }

    /// <summary>The environment variable, else the terminal; null when neither gives one.</summary>
    private static string? ReadPassphrase(CliTerminal terminal)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        return terminal.InputRedirected || !terminal.Console.Profile.Capabilities.Interactive
            ? null
            : terminal.Console.Prompt(new TextPrompt<string>("Passphrase of the signing key:").Secret());
    }

    private static async Task<(string? Passphrase, string Refusal)> NewPassphraseAsync(CliTerminal terminal)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return (fromEnvironment, "");
        }
        if (terminal.InputRedirected || !terminal.Console.Profile.Capabilities.Interactive)
        {
            return (null, $"No passphrase: set {PassphraseVariable}, run at a terminal, or pass --unencrypted.");
        }
        var first = await terminal.Console.PromptAsync(new TextPrompt<string>("Passphrase for the secret key:").Secret());
        var second = await terminal.Console.PromptAsync(new TextPrompt<string>("Passphrase again:").Secret());
        if (first != second)
        {
            return (null, "The two passphrases differ: no key was written. Run the command again.");
        }
        return string.IsNullOrEmpty(first) ? (null, "An empty passphrase protects nothing: give one, or pass --unencrypted.") : (first, "");
    }

    /// <summary>Readable by its owner only, from the moment it exists.</summary>
    private static void WriteSecret(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
