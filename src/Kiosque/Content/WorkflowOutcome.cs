namespace Kiosque.Content;

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
