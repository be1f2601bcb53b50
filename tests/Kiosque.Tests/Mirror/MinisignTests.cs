using System.Text;
using Kiosque.Mirror;

namespace Kiosque.Tests.Mirror;

/// <summary>Our key and signature files against Debian's minisign 0.11, both ways.</summary>
public sealed class MinisignTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kiosque-minisign-").FullName;

    [Fact]
    public async Task Minisign_signs_with_our_encrypted_key_and_verifies_our_signatures_until_a_byte_changes()
    {
        var key = MinisignSecretKey.Generate();
        File.WriteAllText(Path.Combine(_folder, "k.key"), key.FileText("un mot de passe"));
        File.WriteAllText(Path.Combine(_folder, "k.pub"), key.PublicKey.FileText);
        var message = Encoding.UTF8.GetBytes("édition du jour\n");
        File.WriteAllBytes(Path.Combine(_folder, "m.txt"), message);

        // minisign decrypts our scrypt-protected key with the passphrase and signs with it.
        var (signed, signOutput) = await MinisignTool.RunAsync(_folder, "un mot de passe", "-Sm", "m.txt", "-s", "k.key", "-x", "theirs.minisig");
        Assert.True(signed == 0, signOutput);
        var (wrong, _) = await MinisignTool.RunAsync(_folder, "pas le bon", "-Sm", "m.txt", "-s", "k.key", "-x", "wrong.minisig");
        Assert.NotEqual(0, wrong);

        File.WriteAllText(Path.Combine(_folder, "m.txt.minisig"), MinisignSignature.Sign(key, message, "timestamp:1 edition:7", "test"));
        var (verified, output) = await MinisignTool.RunAsync(_folder, null, "-Vm", "m.txt", "-p", "k.pub");
        Assert.True(verified == 0, output);
        Assert.Contains("edition:7", output);

        message[3] ^= 1;
        File.WriteAllBytes(Path.Combine(_folder, "m.txt"), message);
        var (tampered, _) = await MinisignTool.RunAsync(_folder, null, "-Vm", "m.txt", "-p", "k.pub");
        Assert.NotEqual(0, tampered);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task We_verify_minisigns_prehashed_and_legacy_signatures_and_read_its_keys(bool legacy)
    {
        var (generated, output) = await MinisignTool.RunAsync(_folder, null, "-G", "-W", "-p", "their.pub", "-s", "their.key");
        Assert.True(generated == 0, output);
        var message = Encoding.UTF8.GetBytes("SHA256SUMS\n");
        File.WriteAllBytes(Path.Combine(_folder, "m.txt"), message);
        string[] sign = legacy ? ["-S", "-l", "-m", "m.txt", "-s", "their.key", "-t", "edition:3"] : ["-S", "-m", "m.txt", "-s", "their.key", "-t", "edition:3"];
        var (signed, signOutput) = await MinisignTool.RunAsync(_folder, null, sign);
        Assert.True(signed == 0, signOutput);
        var signature = File.ReadAllText(Path.Combine(_folder, "m.txt.minisig"));
        Assert.StartsWith(legacy ? "RW" : "RU", signature.Split('\n')[1], StringComparison.Ordinal);

        var theirs = MinisignPublicKey.ReadFile(Path.Combine(_folder, "their.pub"));
        Assert.Equal("edition:3", MinisignSignature.Verify(theirs, message, signature));
        message[0] ^= 1;
        Assert.Throws<MinisignException>(() => MinisignSignature.Verify(theirs, message, signature));
        var changedComment = signature.Replace("edition:3", "edition:9", StringComparison.Ordinal);
        Assert.Throws<MinisignException>(() => MinisignSignature.Verify(theirs, Encoding.UTF8.GetBytes("SHA256SUMS\n"), changedComment));

        // Their unencrypted secret key signs here; minisign accepts the result.
        var key = MinisignSecretKey.ReadFile(Path.Combine(_folder, "their.key"), () => null);
        Assert.Equal(theirs.Id, key.PublicKey.Id);
        File.WriteAllText(Path.Combine(_folder, "n.txt.minisig"), MinisignSignature.Sign(key, Encoding.UTF8.GetBytes("n\n"), "edition:4", "ours"));
        File.WriteAllText(Path.Combine(_folder, "n.txt"), "n\n");
        var (verified, verifyOutput) = await MinisignTool.RunAsync(_folder, null, "-Vm", "n.txt", "-p", "their.pub");
        Assert.True(verified == 0, verifyOutput);
    }

    [Fact]
    public void A_wrong_passphrase_or_a_missing_one_is_a_clear_error()
    {
        var path = Path.Combine(_folder, "k.key");
        File.WriteAllText(path, MinisignSecretKey.Generate().FileText("le bon"));

        Assert.Contains("Wrong passphrase", Assert.Throws<MinisignException>(() => MinisignSecretKey.ReadFile(path, () => "le mauvais")).Message);
        Assert.Contains("passphrase", Assert.Throws<MinisignException>(() => MinisignSecretKey.ReadFile(path, () => null)).Message);
        Assert.Contains("not found", Assert.Throws<MinisignException>(() => MinisignSecretKey.ReadFile(path + ".absent", () => null)).Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
