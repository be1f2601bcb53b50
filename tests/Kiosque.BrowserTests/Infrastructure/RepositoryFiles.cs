namespace Kiosque.BrowserTests.Infrastructure;

/// <summary>Files of the repository the checks need: npm tools (installed by scripts/test.sh) and the stylesheet.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string VnuJar => Require(Path.Combine(Root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"));

    public static string AxeScript => Require(Path.Combine(Root, "node_modules", "axe-core", "axe.min.js"));

    public static string Stylesheet => Require(Path.Combine(Root, "src", "Kiosque", "wwwroot", "css", "site.css"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kiosque.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Kiosque.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run `npm ci --ignore-scripts` at the repository root (scripts/test.sh does).");
}
