using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SymGrad.Samples;

/// <summary>
/// A small reader for comma-separated files with a header row (RFC 4180 quoting), enough for the samples'
/// data sets. Part of the samples, not of the SymGrad package: a project that needs it links this file. Numbers are parsed with the invariant culture, so a file reads the same in every locale.
/// </summary>
internal static class Csv
{
    /// <summary>Reads a CSV file whose first row names the columns.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FormatException">A row has the wrong number of fields or a quote is not closed; the message names the line.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    /// <summary>Parses CSV text whose first row names the columns.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">Name used in error messages (e.g. the file name).</param>
    /// <returns>The table.</returns>
    /// <exception cref="FormatException">A row has the wrong number of fields or a quote is not closed.</exception>
    public static CsvTable Parse(TextReader reader, string source = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        int lineNumber = 0;
        string[]? header = null;
        var rows = new List<string[]>();
        while (ReadRecord(reader, ref lineNumber, source) is { } fields)
        {
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (header is null)
            {
                header = fields;
                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new FormatException(string.Format(CultureInfo.InvariantCulture, "{0}, line {1}: {2} field(s), but the header has {3}.", source, lineNumber, fields.Length, header.Length));
            }

            rows.Add(fields);
        }

        if (header is null)
        {
            throw new FormatException(source + ": no header row.");
        }

        return new CsvTable(header, rows, source);
    }

    private static string[]? ReadRecord(TextReader reader, ref int lineNumber, string source)
    {
        string? line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        lineNumber++;
        int startLine = lineNumber;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        int i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return fields.ToArray();
                }

                line = reader.ReadLine() ?? throw new FormatException(string.Format(CultureInfo.InvariantCulture, "{0}, line {1}: a quoted field is not closed.", source, startLine));
                lineNumber++;
                field.Append('\n');
                i = 0;
                continue;
            }

            char c = line[i++];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i < line.Length && line[i] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else
            {
                field.Append(c);
            }
        }
    }
}

/// <summary>A CSV file read by <see cref="Csv"/>: the header and the rows as text, with typed column accessors.</summary>
internal sealed class CsvTable
{
    private readonly string[] _columns;
    private readonly List<string[]> _rows;
    private readonly string _source;

    public CsvTable(string[] columns, List<string[]> rows, string source)
    {
        _columns = columns;
        _rows = rows;
        _source = source;
    }

    /// <summary>The column names from the header row.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Number of data rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>The text of one cell.</summary>
    /// <param name="row">Data row, from 0.</param>
    /// <param name="column">Column index.</param>
    public string this[int row, int column] => _rows[row][column];

    /// <summary>Index of a column by name (ordinal, case-sensitive).</summary>
    /// <param name="name">The column name.</param>
    /// <exception cref="ArgumentException">No such column; the message lists the columns.</exception>
    public int IndexOf(string name)
    {
        int index = Array.IndexOf(_columns, name);
        if (index < 0)
        {
            throw new ArgumentException(_source + " has no column '" + name + "'; its columns are: " + string.Join(", ", _columns) + ".", nameof(name));
        }

        return index;
    }

    /// <summary>A numeric column (invariant culture).</summary>
    /// <param name="name">The column name.</param>
    /// <exception cref="FormatException">A cell is not a number; the message names the row and column.</exception>
    public double[] GetNumbers(string name)
    {
        int column = IndexOf(name);
        var values = new double[_rows.Count];
        for (int row = 0; row < values.Length; row++)
        {
            string text = _rows[row][column].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[row]))
            {
                throw new FormatException(string.Format(CultureInfo.InvariantCulture, "{0}, data row {1}, column '{2}': '{3}' is not a number.", _source, row + 1, name, text));
            }
        }

        return values;
    }

    /// <summary>A categorical column as integer codes 0, 1, … in order of first appearance.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="categories">The distinct values; code k stands for categories[k].</param>
    public int[] GetCategories(string name, out IReadOnlyList<string> categories)
    {
        int column = IndexOf(name);
        var codes = new int[_rows.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int row = 0; row < codes.Length; row++)
        {
            string value = _rows[row][column];
            if (!seen.TryGetValue(value, out int code))
            {
                code = order.Count;
                seen.Add(value, code);
                order.Add(value);
            }

            codes[row] = code;
        }

        categories = order;
        return codes;
    }
}
