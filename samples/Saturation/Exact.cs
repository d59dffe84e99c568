using System;
using System.Globalization;
using System.Numerics;

namespace SymGrad.Samples.Saturation;

/// <summary>
/// Reference values in exact integer arithmetic (no Math.Exp, nothing shared with SymMath or the generator):
/// e^z from its Taylor series in fixed point with 80 decimal digits, then σ(z) = e^z/(e^z + 1) and
/// σ′(z) = e^z/(e^z + 1)² = e^−z/(1 + e^−z)².
/// </summary>
public static class Exact
{
    private const int Digits = 80;
    private static readonly BigInteger One = BigInteger.Pow(10, Digits);

    /// <summary>σ′(z) for an integer z ≥ 0, rounded to double from a 26-digit quotient.</summary>
    public static double SigmoidDerivative(int z)
    {
        BigInteger e = Exp(z);
        return ToDouble(e * One, (e + One) * (e + One));
    }

    /// <summary>∂C/∂w = 2(σ(z) − y)·σ′(z)·a for C = (σ(w·a) − y)², with z = w·a an integer ≥ 0.</summary>
    public static double CostGradient(int z, decimal a, int y)
    {
        BigInteger e = Exp(z);
        BigInteger denominator = (e + One) * (e + One) * (e + One);

        // σ − y = (e − y(e + 1))/(e + 1);  σ′ = e/(e + 1)²  →  2(σ − y)σ′a = 2a·e·(e − y(e + 1))/(e + 1)³, all in units of 10^−Digits.
        BigInteger residual = e - y * (e + One);
        (BigInteger aNumerator, BigInteger aDenominator) = Fraction(a);
        return ToDouble(2 * aNumerator * e * residual * One, denominator * aDenominator);
    }

    /// <summary>e^z·10^Digits, rounded down, from Σ z^k/k! with ten guard digits.</summary>
    private static BigInteger Exp(int z)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(z);
        BigInteger guard = BigInteger.Pow(10, 10);
        BigInteger term = One * guard;
        BigInteger sum = term;
        for (int k = 1; term != 0; k++)
        {
            term = term * z / k;
            sum += term;
        }

        return sum / guard;
    }

    /// <summary>numerator/denominator to double via a 25-significant-digit decimal string (double.Parse rounds correctly).</summary>
    private static double ToDouble(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero)
        {
            return 0.0;
        }

        int sign = numerator.Sign * denominator.Sign;
        numerator = BigInteger.Abs(numerator);
        denominator = BigInteger.Abs(denominator);
        int shift = 25 - (int)Math.Floor(BigInteger.Log10(numerator) - BigInteger.Log10(denominator));
        BigInteger scaled = shift >= 0 ? numerator * BigInteger.Pow(10, shift) / denominator : numerator / (denominator * BigInteger.Pow(10, -shift));
        return sign * double.Parse(scaled.ToString(CultureInfo.InvariantCulture) + "E" + (-shift).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static (BigInteger Numerator, BigInteger Denominator) Fraction(decimal value)
    {
        int[] bits = decimal.GetBits(value);
        int scale = (bits[3] >> 16) & 0xFF;
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return (value < 0 ? -magnitude : magnitude, BigInteger.Pow(10, scale));
    }
}
