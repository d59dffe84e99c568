using System;
using System.IO;
using System.Linq;
using Xunit;

namespace SymGrad.Samples.Tests;

public class CsvTests
{
    [Fact]
    public void The_iris_file_has_150_flowers_with_Fishers_statistics()
    {
        var iris = Csv.Read(RepositoryFile(Path.Combine("samples", "data", "iris.csv")));

        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], iris.Columns);
        Assert.Equal(150, iris.RowCount);
        int[] species = iris.GetCategories("species", out var names);
        Assert.Equal(["setosa", "versicolor", "virginica"], names);
        Assert.Equal(new[] { 50, 50, 50 }, Enumerable.Range(0, 3).Select(k => species.Count(s => s == k)));

        // Published means (Fisher 1936; also R's `colMeans(iris[, 1:4])`).
        Assert.Equal(5.843333, iris.GetNumbers("sepal_length").Average(), 5);
        Assert.Equal(3.057333, iris.GetNumbers("sepal_width").Average(), 5);
        Assert.Equal(3.758000, iris.GetNumbers("petal_length").Average(), 5);
        Assert.Equal(1.199333, iris.GetNumbers("petal_width").Average(), 5);

        // Fisher's corrected rows 35 and 38 (the UCI file differs there).
        Assert.Equal("0.2", iris[34, 3]);
        Assert.Equal("3.6", iris[37, 1]);
    }

    [Fact]
    public void Quoted_fields_and_errors_are_handled()
    {
        var table = Csv.Parse(new StringReader("name,value\n\"a, \"\"quoted\"\"\",1.5\n\nb,-2e3\n"));
        Assert.Equal(2, table.RowCount);
        Assert.Equal("a, \"quoted\"", table[0, 0]);
        Assert.Equal([1.5, -2000.0], table.GetNumbers("value"));

        var ragged = Assert.Throws<FormatException>(() => Csv.Parse(new StringReader("a,b\n1,2\n3\n"), "bad.csv"));
        Assert.Contains("bad.csv, line 3", ragged.Message);
        var notNumber = Assert.Throws<FormatException>(() => Csv.Parse(new StringReader("a\nx\n")).GetNumbers("a"));
        Assert.Contains("'x' is not a number", notNumber.Message);
        var missing = Assert.Throws<ArgumentException>(() => table.GetNumbers("nope"));
        Assert.Contains("name, value", missing.Message);
    }

    private static string RepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Not found above " + AppContext.BaseDirectory, relativePath);
    }
}
