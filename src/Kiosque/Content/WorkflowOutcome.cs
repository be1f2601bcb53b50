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

/// <summary>
/// How a workflow step ended. <see cref="Problems"/> are error codes (<c>Newsroom.Error.*</c>)
/// or, for pictures, sentences naming what is missing.
/// </summary>
public sealed record WorkflowOutcome(WorkflowResult Result, IReadOnlyList<string> Problems)
{
    public static readonly WorkflowOutcome Done = new(WorkflowResult.Done, []);
    public static readonly WorkflowOutcome Forbidden = new(WorkflowResult.Forbidden, []);
    public static readonly WorkflowOutcome ChangedMeanwhile = new(WorkflowResult.ChangedMeanwhile, []);

    public static WorkflowOutcome Refused(params IReadOnlyList<string> problems) => new(WorkflowResult.Refused, problems);
}
