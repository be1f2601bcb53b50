namespace Kiosque.Api;

/// <summary>
/// Every answer of the content API has this shape, so a client reads <c>data</c> the same way on
/// every endpoint and finds paging, cursors and embedded records always at the same place.
/// </summary>
public sealed record ApiEnvelope<T>(T Data, ApiMeta Meta, ApiLinks Links, ApiIncluded? Included = null);

/// <summary>Paging for lists, the feed's position for <c>/changes</c>; null where it does not apply.</summary>
public sealed record ApiMeta(ApiPagination? Pagination = null, ApiChangesPosition? Changes = null);

public sealed record ApiPagination(int Page, int Limit, int Pages, int Total);

/// <summary>Where to resume the changes feed, and whether the log holds more after this page.</summary>
public sealed record ApiChangesPosition(string Next, bool HasMore);

/// <summary>Absolute URLs of this answer and its neighbours (the same as the <c>Link</c> header's).</summary>
public sealed record ApiLinks(string Self, string? First = null, string? Prev = null, string? Next = null, string? Last = null);

/// <summary>The records <c>include=authors,tags,pictures</c> asked for, each once, instead of one call per id.</summary>
public sealed record ApiIncluded(IReadOnlyList<ApiAuthor>? Authors, IReadOnlyList<ApiTag>? Tags, IReadOnlyList<ApiPicture>? Pictures);
