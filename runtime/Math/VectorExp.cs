using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymGrad;

/// <summary>
/// eˣ on eight doubles with AVX-512, inlined into the batched kernels: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite,
/// two-part ln 2, fused multiply-adds), e^r by its degree-13 Taylor polynomial (truncation error below 0.02 ulp), then
/// 2ᵏ·e^r in one rounding by <c>vscalefpd</c>, which also gives ∞ past 709.78, the subnormal results below −708.4
/// and 0 below −745.13 exactly as a correctly rounded scaling does. Within 2 ulp of <see cref="System.Math.Exp"/>
/// everywhere (a test sweeps the whole range); NaN stays NaN, ±∞ give ∞ and 0.
/// </summary>
internal static class VectorExp
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 6.93147180369123816490e-01; // ln 2 with its low 32 bits zero: k·Ln2Hi is exact for |k| < 2²¹
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>eˣ lane-wise; requires <see cref="Avx512F.IsSupported"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        // Clamp so that k stays finite (e^±1100 is ∞ / 0 all the same); maxpd/minpd return their second operand when
        // either is NaN, so a NaN lane stays NaN.
        Vector512<double> c = Avx512F.Min(Vector512.Create(1100.0), Avx512F.Max(Vector512.Create(-1100.0), x));
        Vector512<double> k = Avx512F.RoundScale(c * Vector512.Create(Log2E), 0); // round to nearest even
        Vector512<double> r = Avx512F.FusedMultiplyAdd(-k, Vector512.Create(Ln2Hi), c);
        r = Avx512F.FusedMultiplyAdd(-k, Vector512.Create(Ln2Lo), r);

        // Σ rⁿ/n!, n = 0…13, Horner with fused multiply-adds.
        Vector512<double> p = Vector512.Create(1.0 / 6227020800.0);
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 479001600.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 39916800.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 3628800.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 362880.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6.0));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512<double>.One);
        return Avx512F.Scale(p, k);
    }
}
