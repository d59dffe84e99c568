using System;

namespace SymGrad;

/// <summary>
/// Seeded random initial parameters (PCG32, the same numbers on every platform). Small random weights
/// break the symmetry between hidden units and keep sigmoid/tanh units out of saturation.
/// </summary>
public static class ParameterInit
{
    /// <summary>Fills <paramref name="parameters"/> with values uniform in [−limit, limit).</summary>
    /// <param name="parameters">The vector to fill.</param>
    /// <param name="limit">Half-width (&gt; 0), e.g. 1/√fan-in.</param>
    /// <param name="seed">Seed; the same seed gives the same values.</param>
    public static void Uniform(Span<double> parameters, double limit, long seed)
    {
        Guard.CheckPositive(limit, nameof(limit));
        var rng = new Pcg32(seed, 0x853C49E6748FEA9BUL);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (2.0 * rng.NextDouble() - 1.0) * limit;
        }
    }

    /// <summary>Fills <paramref name="parameters"/> with normal values of mean 0 and standard deviation <paramref name="standardDeviation"/> (Box–Muller).</summary>
    /// <param name="parameters">The vector to fill.</param>
    /// <param name="standardDeviation">Standard deviation (&gt; 0), e.g. √(2 / (fan-in + fan-out)).</param>
    /// <param name="seed">Seed; the same seed gives the same values.</param>
    public static void Normal(Span<double> parameters, double standardDeviation, long seed)
    {
        Guard.CheckPositive(standardDeviation, nameof(standardDeviation));
        var rng = new Pcg32(seed, 0x853C49E6748FEA9BUL);
        for (int i = 0; i < parameters.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double radius = standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            parameters[i] = radius * Math.Cos(angle);
            if (i + 1 < parameters.Length)
            {
                parameters[i + 1] = radius * Math.Sin(angle);
            }
        }
    }
}
