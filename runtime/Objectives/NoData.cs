using System;

namespace SymGrad;

/// <summary>The sample type of objectives whose method has no data parameters.</summary>
public readonly record struct NoData;
