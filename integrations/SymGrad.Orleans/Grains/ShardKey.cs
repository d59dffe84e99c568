using System;
using System.Globalization;

namespace SymGrad.Orleans;

/// <summary>The key of shard grain k of data set d: "d/k".</summary>
internal static class ShardKey
{
    public static string Format(string dataSet, int shard) => dataSet + "/" + shard.ToString(CultureInfo.InvariantCulture);

    public static (string DataSet, int Shard) Parse(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int shard))
        {
            throw new ArgumentException("'" + key + "' is not a shard key of the form <data set>/<shard index>.", nameof(key));
        }

        return (key[..slash], shard);
    }
}
