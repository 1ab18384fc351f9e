namespace Socle.Testing;

/// <summary>Finds the repository's folders from a test's output directory.</summary>
public static class TestData
{
    /// <summary>The repository root: the first folder above the test binaries that holds Socle.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Socle.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("Socle.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A path under data/ (reference data and test vectors, each with its source named in data/README.md).</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepositoryRoot, "data", .. parts]);
}
