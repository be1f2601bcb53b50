using Microsoft.Extensions.Localization;

// The assembly is named "kiosque" (the executable); resources are named after the namespace.
[assembly: RootNamespace("Kiosque")]

namespace Kiosque;

/// <summary>
/// Marker for the UI strings in <c>Resources/SharedResource.resx</c> (French, the default) and
/// <c>SharedResource.en.resx</c>. Add a language by adding a resx beside them.
/// </summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<T>: never instantiated.
public sealed class SharedResource;
#pragma warning restore CA1052
