namespace System.Runtime.CompilerServices;

/// <summary>Enables records and init-only setters on netstandard2.0.</summary>
internal static class IsExternalInit
{
}
