using Router.Galleries.Index;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>The folder fsync after a snapshot's rename reaches the kernel (the P/Invoke is right) and fails softly.</summary>
public class DirectorySyncTests
{
    [Fact]
    public void A_folder_is_flushed_and_a_missing_one_or_a_file_is_refused_without_throwing()
    {
        var dir = Directory.CreateTempSubdirectory("router-dirsync-").FullName;
        try
        {
            Assert.True(DirectorySync.Flush(dir));
            Assert.False(DirectorySync.Flush(Path.Combine(dir, "missing")));
            var file = Path.Combine(dir, "file");
            File.WriteAllText(file, "x");
            Assert.False(DirectorySync.Flush(file)); // O_DIRECTORY refuses a file
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
