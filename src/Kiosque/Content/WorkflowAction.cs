namespace Kiosque.Content;

/// <summary>A step of the article workflow (<see cref="ArticleWorkflow"/>); the form's <c>action</c> values are their lower-case names.</summary>
public enum WorkflowAction
{
    /// <summary>A draft (or an unpublished piece) goes to the editors for review.</summary>
    Submit,

    /// <summary>Back to draft, from review, a schedule or an unpublished piece.</summary>
    Draft,

    Publish,
    Schedule,
    Unpublish,

    /// <summary>The scheduler, when a scheduled article's time has come.</summary>
    PublishDue,
}
