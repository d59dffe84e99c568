using System;
using System.Globalization;
using System.Numerics;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// A binary floating-point number M·2^E with a BigInteger mantissa of about <see cref="Precision"/> bits: the
/// high-precision oracle of the activation tests. It shares nothing with SymMath or Math.Exp: e^x is its own Taylor
/// series (the argument halved until it is below 2^−12, the sum squared back), e^x − 1 the same series without the 1
/// and u ← u(u + 2) per doubling (so it never cancels), and the final rounding to double is done here, ties to even,
/// subnormals included. Every intermediate keeps ~200 bits, so after the few dozen roundings of a reference formula
/// its error is far below 2^−150 relative, against the 2^−52 of a double.
/// </summary>
public readonly struct BigFloat
{
    /// <summary>Bits kept in the mantissa.</summary>
    public const int Precision = 200;

    private BigFloat(BigInteger mantissa, long exponent)
    {
        if (mantissa.IsZero)
        {
            Mantissa = mantissa;
            Exponent = 0;
            return;
        }

        long length = (long)BigInteger.Abs(mantissa).GetBitLength();
        if (length > Precision)
        {
            int shift = (int)(length - Precision);
            mantissa /= BigInteger.One << shift; // truncates toward zero: 2^−199 relative at most
            exponent += shift;
        }

        Mantissa = mantissa;
        Exponent = exponent;
    }

    /// <summary>The signed mantissa M.</summary>
    public BigInteger Mantissa { get; }

    /// <summary>The exponent E of the value M·2^E.</summary>
    public long Exponent { get; }

    /// <summary>Whether the value is 0.</summary>
    public bool IsZero => Mantissa.IsZero;

    /// <summary>1.</summary>
    public static BigFloat One { get; } = new(BigInteger.One, 0);

    /// <summary>The exact value of a finite double.</summary>
    public static BigFloat FromDouble(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException($"{d} is not finite", nameof(d));
        }

        long bits = BitConverter.DoubleToInt64Bits(d);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        long mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int exponent = biased == 0 ? -1074 : biased - 1075;
        return new BigFloat(bits < 0 ? -(BigInteger)mantissa : mantissa, exponent);
    }

    /// <summary>The value of an integer.</summary>
    public static BigFloat FromInteger(BigInteger n) => new(n, 0);

    /// <summary>A decimal string such as "2.718281828…" (digits, one optional point, optional leading minus).</summary>
    public static BigFloat Parse(string s)
    {
        int point = s.IndexOf('.', StringComparison.Ordinal);
        string digits = point < 0 ? s : s.Remove(point, 1);
        int decimals = point < 0 ? 0 : s.Length - point - 1;
        return FromInteger(BigInteger.Parse(digits, CultureInfo.InvariantCulture)) / FromInteger(BigInteger.Pow(10, decimals));
    }

    /// <summary>a·b.</summary>
    public static BigFloat operator *(BigFloat a, BigFloat b) => new(a.Mantissa * b.Mantissa, a.Exponent + b.Exponent);

    /// <summary>−a.</summary>
    public static BigFloat operator -(BigFloat a) => new(-a.Mantissa, a.Exponent);

    /// <summary>a + b (aligned exactly unless one is below the other's precision by far).</summary>
    public static BigFloat operator +(BigFloat a, BigFloat b)
    {
        if (a.IsZero)
        {
            return b;
        }

        if (b.IsZero)
        {
            return a;
        }

        if (a.Exponent < b.Exponent)
        {
            (a, b) = (b, a);
        }

        long gap = a.Exponent - b.Exponent;
        BigInteger bMantissa = b.Mantissa;
        long bExponent = b.Exponent;
        if (gap > 4 * Precision)
        {
            // b is below a's last kept bit by far more than the precision: only its sign can matter (as a sticky bit).
            bExponent = a.Exponent - (4 * Precision);
            bMantissa = b.Mantissa.Sign;
            gap = 4 * Precision;
        }

        return new BigFloat((a.Mantissa << (int)gap) + bMantissa, bExponent);
    }

    /// <summary>a − b.</summary>
    public static BigFloat operator -(BigFloat a, BigFloat b) => a + (-b);

    /// <summary>a / b.</summary>
    public static BigFloat operator /(BigFloat a, BigFloat b)
    {
        if (b.IsZero)
        {
            throw new DivideByZeroException();
        }

        const int Extra = 2 * Precision;
        return new BigFloat((a.Mantissa << Extra) / b.Mantissa, a.Exponent - b.Exponent - Extra);
    }

    /// <summary>e^x.</summary>
    public static BigFloat Exp(BigFloat x)
    {
        int halvings = Halvings(x);
        BigFloat y = x.Scale(-halvings);
        BigFloat sum = One + Series(y);
        for (int i = 0; i < halvings; i++)
        {
            sum *= sum;
        }

        return sum;
    }

    /// <summary>e^x − 1, without cancellation for any x.</summary>
    public static BigFloat Expm1(BigFloat x)
    {
        int halvings = Halvings(x);
        BigFloat u = Series(x.Scale(-halvings));
        BigFloat two = FromInteger(2);
        for (int i = 0; i < halvings; i++)
        {
            u *= u + two; // e^(2y) − 1 = (e^y − 1)(e^y − 1 + 2)
        }

        return u;
    }

    /// <summary>The nearest double (ties to even), with subnormals, ±0 for values below half the smallest one, ±∞ above the largest.</summary>
    public double ToDouble()
    {
        if (IsZero)
        {
            return 0.0;
        }

        bool negative = Mantissa.Sign < 0;
        BigInteger a = BigInteger.Abs(Mantissa);
        long top = Exponent + (long)a.GetBitLength() - 1; // 2^top ≤ |x| < 2^(top + 1)
        long unit = Math.Max(top - 52, -1074);            // exponent of the last bit a double keeps there
        long shift = unit - Exponent;
        BigInteger q;
        if (shift <= 0)
        {
            q = a << (int)-shift;
        }
        else if (shift > a.GetBitLength() + 1)
        {
            q = BigInteger.Zero; // below half a unit
        }
        else
        {
            q = a >> (int)shift;
            BigInteger remainder = a - (q << (int)shift);
            int c = remainder.CompareTo(BigInteger.One << (int)(shift - 1));
            if (c > 0 || (c == 0 && !q.IsEven))
            {
                q += 1;
            }
        }

        // q < 2^54 (2^53 after a carry is still exact); ScaleB by a power of two is exact when the result is representable.
        double magnitude = (long)q.GetBitLength() + unit > 1024 ? double.PositiveInfinity : Math.ScaleB((double)q, (int)unit);
        return negative ? -magnitude : magnitude;
    }

    /// <summary>|got − exact| / |exact| as a double (exact ≠ 0).</summary>
    public static double RelativeError(double got, BigFloat exact) => Math.Abs(((FromDouble(got) - exact) / exact).ToDouble());

    /// <summary>|got − exact| as a double.</summary>
    public static double AbsoluteError(double got, BigFloat exact) => Math.Abs((FromDouble(got) - exact).ToDouble());

    /// <summary>The value times 2^k (exact).</summary>
    public BigFloat Scale(int k) => new(Mantissa, Exponent + k);

    /// <inheritdoc/>
    public override string ToString() => ToDouble().ToString("R", CultureInfo.InvariantCulture) + " (+ more bits)";

    /// <summary>How often to halve x to bring it below 2^−12.</summary>
    private static int Halvings(BigFloat x)
    {
        if (x.IsZero)
        {
            return 0;
        }

        long magnitude = (long)BigInteger.Abs(x.Mantissa).GetBitLength() + x.Exponent; // |x| < 2^magnitude
        return (int)Math.Max(0, magnitude + 12);
    }

    /// <summary>The position of the leading bit: 2^(Top − 1) ≤ |x| &lt; 2^Top.</summary>
    private static long Top(BigFloat x) => x.Exponent + (long)BigInteger.Abs(x.Mantissa).GetBitLength();

    /// <summary>Σ_{k≥1} y^k / k! for |y| &lt; 2^−12, until a term no longer counts.</summary>
    private static BigFloat Series(BigFloat y)
    {
        BigFloat term = y;
        BigFloat sum = y;
        for (int k = 2; k < 60 && !term.IsZero; k++)
        {
            term = term * y / FromInteger(k);
            if (!sum.IsZero && Top(term) < Top(sum) - Precision - 16)
            {
                break;
            }

            sum += term;
        }

        return sum;
    }
}

/// <summary>The activations' reference values in <see cref="BigFloat"/> arithmetic, from their definitions.</summary>
public static class ActivationReference
{
    private static readonly BigFloat Two = BigFloat.FromInteger(2);
    private static readonly BigFloat Four = BigFloat.FromInteger(4);

    /// <summary>σ(x) = 1/(1 + e^(−x)).</summary>
    public static BigFloat Sigmoid(double x) => BigFloat.One / (BigFloat.One + BigFloat.Exp(-BigFloat.FromDouble(x)));

    /// <summary>σ′(x) = e^(−x)/(1 + e^(−x))² (no cancellation for either sign in this precision).</summary>
    public static BigFloat SigmoidDerivative(double x)
    {
        BigFloat e = BigFloat.Exp(-BigFloat.FromDouble(x));
        BigFloat d = BigFloat.One + e;
        return e / (d * d);
    }

    /// <summary>tanh(x) = −u/(2 + u) with u = e^(−2|x|) − 1, sign of x (no cancellation, even for tiny x).</summary>
    public static BigFloat Tanh(double x)
    {
        BigFloat u = BigFloat.Expm1(-BigFloat.FromDouble(Math.Abs(x)).Scale(1));
        BigFloat t = -u / (Two + u);
        return x < 0 ? -t : t;
    }

    /// <summary>tanh′(x) = sech²(x) = 4e^(−2x)/(1 + e^(−2x))².</summary>
    public static BigFloat TanhDerivative(double x)
    {
        BigFloat e = BigFloat.Exp(-BigFloat.FromDouble(x).Scale(1));
        BigFloat d = BigFloat.One + e;
        return Four * e / (d * d);
    }
}
