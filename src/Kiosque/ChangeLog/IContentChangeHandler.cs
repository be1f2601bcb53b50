namespace Kiosque.ChangeLog;

/// <summary>Something that reacts to content changes on this node (cache purge, search indexing…), fed by <see cref="ChangeFeed"/>.</summary>
public interface IContentChangeHandler
{
    Task HandleAsync(IReadOnlyList<ContentChange> changes, CancellationToken cancellationToken);
}
