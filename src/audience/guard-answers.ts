/**
 * The guard for answers that do not go through the outbox: a command answer meant for the whole
 * channel (Slack `response_type: in_channel`, a Teams/playground post) and a clicked message
 * replaced in place. The core decides here, once for every adapter: an internal answer aimed at
 * a place customers read becomes private to the person who asked, and an internal replacement
 * of a message customers read is not made.
 */
import type { Logger } from 'pino';
import type { CommandContext, CommandReply } from '../commands/command-registry.js';
import type { InteractionContext, InteractionResult } from '../commands/interaction-types.js';
import type { AudienceGuard } from './placement.js';

/**
 * A command answer as it may be shown: `in_channel` stays only where the guard allows it.
 * @example guardCommandReply(svc.audience, { view: queue, visibility: 'in_channel' }, { platform: 'slack', userId: 'U1', channelId: 'C_SUPPORT' }) // visibility 'ephemeral'
 */
export function guardCommandReply(guard: AudienceGuard, reply: CommandReply, ctx: CommandContext, log?: Logger): CommandReply {
  if (reply.visibility !== 'in_channel') return reply;
  if (guard.allows({ op: 'post', channelId: ctx.channelId, threadId: ctx.threadId ?? null, platform: ctx.platform, view: reply.view })) return reply;
  log?.warn({ channel: ctx.channelId, user: ctx.userId }, 'audience: a command answer for the channel is internal and customers read there; sent privately instead');
  return { ...reply, visibility: 'ephemeral' };
}

/**
 * An interaction's result as it may be shown: an internal `replace` of a message in a place
 * customers read is dropped (the clicker still gets any ephemeral answer).
 */
export function guardInteractionResult(guard: AudienceGuard, result: InteractionResult, ctx: InteractionContext, log?: Logger): InteractionResult {
  if (!result.replace || !ctx.channelId) return result;
  if (guard.allows({ op: 'update', channelId: ctx.channelId, threadId: ctx.threadId ?? null, platform: ctx.platform, view: result.replace })) return result;
  log?.warn({ channel: ctx.channelId, user: ctx.userId }, 'audience: refused to replace a message customers read with an internal view');
  const { replace: _dropped, ...rest } = result;
  return rest;
}
