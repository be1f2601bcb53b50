namespace Kiosque.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (the README, wwwroot), found above the test binaries.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Kiosque.slnx")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("Kiosque.slnx not found above " + AppContext.BaseDirectory);
    }
}
