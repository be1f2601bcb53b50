namespace Kiosque.Content;

public enum WorkflowResult
{
    Done,

    /// <summary>This person may not take this step.</summary>
    Forbidden,

    /// <summary>The step does not apply now, or the publish checks failed: see <see cref="WorkflowOutcome.Problems"/>.</summary>
    Refused,

    /// <summary>Someone (an editor's save, another node's scheduler) changed the article meanwhile: nothing was done.</summary>
    ChangedMeanwhile,
}
