using Kiosque.Data;

namespace Kiosque.ChangeLog;

public static class ChangeFeedFilters
{
    /// <summary>
    /// After a newsroom action that changed content, waits (briefly) until this node has applied the
    /// change, so the editor's next look at the public page shows it rather than a cached copy.
    /// Other nodes follow within their poll interval.
    /// </summary>
    public static async ValueTask<object?> WaitForOwnChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var services = context.HttpContext.RequestServices;
        var written = services.GetRequiredService<KiosqueDb>().LastChangeId;
        if (written > 0)
        {
            await services.GetRequiredService<ChangeFeed>().WaitForAsync(written, TimeSpan.FromSeconds(2), context.HttpContext.RequestAborted);
        }
        return result;
    }
}
