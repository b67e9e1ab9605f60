/**
 * A command answer as it may be shown: `in_channel` stays only where the guard allows it.
 * @example guardCommandReply(svc.audience, { view: queue, visibility: 'in_channel' }, { platform: 'slack', userId: 'U1', channelId: 'C_SUPPORT' }) // visibility 'ephemeral'
 */
export function guardCommandReply(guard, reply, ctx, log) {
    if (reply.visibility !== 'in_channel')
        return reply;
    if (guard.allows({ op: 'post', channelId: ctx.channelId, threadId: ctx.threadId ?? null, platform: ctx.platform, view: reply.view }))
        return reply;
    log?.warn({ channel: ctx.channelId, user: ctx.userId }, 'audience: a command answer for the channel is internal and customers read there; sent privately instead');
    return { ...reply, visibility: 'ephemeral' };
}
/**
 * An interaction's result as it may be shown: an internal `replace` of a message in a place
 * customers read is dropped (the clicker still gets any ephemeral answer).
 */
export function guardInteractionResult(guard, result, ctx, log) {
    if (!result.replace || !ctx.channelId)
        return result;
    if (guard.allows({ op: 'update', channelId: ctx.channelId, threadId: ctx.threadId ?? null, platform: ctx.platform, view: result.replace }))
        return result;
    log?.warn({ channel: ctx.channelId, user: ctx.userId }, 'audience: refused to replace a message customers read with an internal view');
    const { replace: _dropped, ...rest } = result;
    return rest;
}
//# sourceMappingURL=guard-answers.js.map