using System.Diagnostics;

namespace Kiosque.Tests.Mirror;

/// <summary>Debian's <c>minisign</c> (installed by scripts/test.sh), run as a reader or an operator would.</summary>
public static class MinisignTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string? input, params string[] args)
    {
        var start = new ProcessStartInfo("minisign") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
