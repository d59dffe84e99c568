using System;
using System.Globalization;

namespace SymGrad;

/// <summary>Argument checks shared by the public entry points; every message names the problem.</summary>
internal static class Guard
{
    public static string Name<TObjective, TSample>(in TObjective objective, int index)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        string? name = null;
        try
        {
            name = objective.GetParameterName(index);
        }
        catch (ArgumentException)
        {
            // Fall back to the index below: a bad name must not hide the error being reported.
        }
        catch (IndexOutOfRangeException)
        {
        }

        return string.IsNullOrEmpty(name) ? "parameters[" + index.ToString(CultureInfo.InvariantCulture) + "]" : name;
    }

    public static int CheckBatchArguments<TObjective, TSample>(in TObjective objective, int dataLength, ReadOnlySpan<double> parameters, int maxDegreeOfParallelism, string dataName)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = CheckParameterCount<TObjective, TSample>(objective, parameters.Length);
        CheckData(dataLength, dataName);
        CheckParallelism(maxDegreeOfParallelism);
        return n;
    }

    public static void CheckData(int dataLength, string dataName)
    {
        if (dataLength == 0)
        {
            throw new ArgumentException("The data set is empty: at least one sample is needed to compute a loss or a gradient.", dataName);
        }
    }

    public static void CheckParallelism(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 for all cores or a positive thread count.");
        }
    }

    public static int CheckParameterCount<TObjective, TSample>(in TObjective objective, int parametersLength)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = objective.ParameterCount;
        if (n <= 0)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The objective {0} has no trainable parameters (ParameterCount = {1}).", typeof(TObjective).Name, n),
                nameof(objective));
        }

        if (parametersLength != n)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "The parameter vector has {0} element(s) but {1} has {2} trainable parameter(s) ({3}).",
                    parametersLength,
                    typeof(TObjective).Name,
                    n,
                    DescribeNames<TObjective, TSample>(objective, n)),
                "parameters");
        }

        return n;
    }

    public static void CheckFiniteParameters<TObjective, TSample>(in TObjective objective, ReadOnlySpan<double> parameters)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int bad = Vectors.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "The initial value of parameter '{0}' (index {1}) is {2}; every parameter must start finite.",
                    Name<TObjective, TSample>(objective, bad),
                    bad,
                    parameters[bad]),
                "parameters");
        }
    }

    public static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "'{0}' has length {1}; expected {2}.", name, actual, expected),
                name);
        }
    }

    public static void CheckPositive(double value, string name)
    {
        if (!(value > 0.0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be a positive finite number.");
        }
    }

    public static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0.0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be a finite number ≥ 0.");
        }
    }

    public static void CheckUnitInterval(double value, string name)
    {
        if (!(value >= 0.0 && value < 1.0))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1).");
        }
    }

    public static void CheckAtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be at least " + minimum.ToString(CultureInfo.InvariantCulture) + ".");
        }
    }

    private static string DescribeNames<TObjective, TSample>(in TObjective objective, int n)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        const int Shown = 8;
        var names = new string[Math.Min(n, Shown)];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = Name<TObjective, TSample>(objective, i);
        }

        return string.Join(", ", names) + (n > Shown ? ", …" : string.Empty);
    }
}
