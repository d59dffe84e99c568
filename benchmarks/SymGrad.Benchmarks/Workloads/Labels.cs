using System;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>What a benchmark method stands for in the summary table.</summary>
public enum Role
{
    /// <summary>The plain function value (denominator of gradient/function).</summary>
    Function,

    /// <summary>SymGrad's generated gradient through the Span API: the baseline of every ratio.</summary>
    SymGrad,

    /// <summary>Another way of calling SymGrad's generated code (Partials struct, objective).</summary>
    SymGradOther,

    /// <summary>The hand-written closed form / backprop.</summary>
    HandWritten,

    /// <summary>Any other peer.</summary>
    Peer,
}

/// <summary>Names the workload (table row group) a benchmark class measures.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkloadAttribute(string key, string title, int order) : Attribute
{
    /// <summary>Stable key shared with the Python peers ("seed/sample", "mlp/batch", ...).</summary>
    public string Key { get; } = key;

    /// <summary>Row label.</summary>
    public string Title { get; } = title;

    /// <summary>Position in the table.</summary>
    public int Order { get; } = order;
}

/// <summary>Names the method (table row) a benchmark method measures.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PeerAttribute(string title, Role role, int order) : Attribute
{
    /// <summary>Row label.</summary>
    public string Title { get; } = title;

    /// <summary>Role in the ratios.</summary>
    public Role Role { get; } = role;

    /// <summary>Position within the workload.</summary>
    public int Order { get; } = order;
}
