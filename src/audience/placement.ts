/**
 * Two audiences: the ONE rule that decides where each view about a ticket goes, and the guard
 * that refuses to put an internal view in a customer-facing place. Adapters never decide this.
 *
 * A support channel is in one of two modes:
 * - **triage mode** (it has a triage channel: `channels[].triageChannel`, else the top-level
 *   `triageChannel`): the customer's thread gets only customer views (the acknowledgement,
 *   agents' replies); the ticket card is a new message in the triage channel and its thread is
 *   the ticket's internal thread, where everything internal goes.
 * - **inline mode** (no triage channel; internal helpdesks): the card and short status lines sit
 *   in the requester's thread, but work — prompts, pings, plans, drafts, notes, model text — goes
 *   privately to agents (ephemeral or DM), never into the requester's thread.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import { FrontdeskError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import { type MessageView, audienceOf } from '../ports/message-view.js';

export type ChannelMode = 'triage' | 'inline';

/**
 * What an internal view is for, which decides its place in inline mode:
 * `card` the ticket card, `line` a short status line (took, assigned, resolved, reopened),
 * `work` everything agents work with (prompts, pings, plans, drafts, notes, model text).
 */
export type Purpose = 'card' | 'line' | 'work';

/** Where a view about a ticket goes. */
export type Place =
  /** The requester's thread (customer views; in inline mode also the card and status lines). */
  | { kind: 'customer_thread'; channelId: string; shared: boolean }
  /** A new top-level message in the triage channel (the internal card). */
  | { kind: 'triage_channel'; channelId: string }
  /** The card's thread in the triage channel. */
  | { kind: 'internal_thread'; channelId: string }
  /** Only agents see it: ephemeral in the requester's thread, or a DM. */
  | { kind: 'private'; channelId: string };

/** Strip a `platform:` prefix as used by digest targets (`local:leads`). */
function bare(id: string): string {
  const i = id.indexOf(':');
  return i > 0 && /^(slack|teams|local)$/.test(id.slice(0, i)) ? id.slice(i + 1) : id;
}

/** Every channel configured as a triage channel. */
export function triageChannels(config: Pick<FrontdeskConfig, 'channels' | 'triageChannel'>): Set<string> {
  const out = new Set<string>();
  if (config.triageChannel) out.add(config.triageChannel);
  for (const c of config.channels) if (c.triageChannel) out.add(c.triageChannel);
  return out;
}

/** Is this channel a triage channel (private to agents)? */
export function isTriageChannel(config: Pick<FrontdeskConfig, 'channels' | 'triageChannel'>, channelId: string): boolean {
  return triageChannels(config).has(channelId);
}

/**
 * The triage channel for requests from `channelId`: its own `triageChannel`, else the top-level
 * one; null (inline mode) when there is none, or when the channel is itself a triage or digest
 * channel (everything there is internal already).
 * @example triageChannelFor(parseConfig({ triageChannel: 'C_TRIAGE' }), 'C_SUPPORT') // 'C_TRIAGE'
 */
export function triageChannelFor(config: Pick<FrontdeskConfig, 'channels' | 'triageChannel' | 'digest'>, channelId: string): string | null {
  if (isTriageChannel(config, channelId) || config.digest.channels.some((d) => bare(d) === channelId)) return null;
  const own = config.channels.find((c) => c.id === channelId)?.triageChannel;
  return own ?? config.triageChannel ?? null;
}

/** The mode of a support channel. */
export function channelMode(config: Pick<FrontdeskConfig, 'channels' | 'triageChannel' | 'digest'>, channelId: string): ChannelMode {
  return triageChannelFor(config, channelId) ? 'triage' : 'inline';
}

/**
 * One line per support channel saying which mode it is in (for the start-up log and banner).
 * @example describeModes(parseConfig({ channels: [{ id: 'C1' }], triageChannel: 'C9' })) // ['C1: private triage mode (agents work in C9)']
 */
export function describeModes(config: Pick<FrontdeskConfig, 'channels' | 'triageChannel' | 'digest'>): string[] {
  if (config.channels.length === 0)
    return [
      config.triageChannel
        ? `every channel the bot is in (except ${config.triageChannel}): private triage mode (agents work in ${config.triageChannel})`
        : 'every channel the bot is in: inline mode (the card sits in the requester’s thread; plans, drafts, pings and prompts go privately to agents)',
    ];
  return config.channels.map((c) => {
    const triage = triageChannelFor(config, c.id);
    return triage
      ? `${c.id}: private triage mode (agents work in ${triage})`
      : `${c.id}: inline mode (the card sits in the requester’s thread; plans, drafts, pings and prompts go privately to agents)`;
  });
}

/** The channel a ticket's card lives in. */
export function cardChannelOf(t: Pick<Ticket, 'channelId' | 'triageChannelId'>): string {
  return t.triageChannelId ?? t.channelId;
}

/**
 * THE rule: where a view about ticket `t` goes. Customer views go to the customer's thread.
 * Internal views go to the ticket's triage channel (the card as a new message, the rest in the
 * card's thread); without one (inline mode) the card and status lines stay in the requester's
 * thread and work goes privately to agents.
 * @example placeFor(ticket, planView, 'work') // { kind: 'internal_thread', channelId: 'C_TRIAGE' }
 */
export function placeFor(t: Pick<Ticket, 'channelId' | 'triageChannelId'>, view: MessageView, purpose: Purpose): Place {
  if (audienceOf(view) === 'customer') return { kind: 'customer_thread', channelId: t.channelId, shared: false };
  if (t.triageChannelId) return purpose === 'card' ? { kind: 'triage_channel', channelId: t.triageChannelId } : { kind: 'internal_thread', channelId: t.triageChannelId };
  if (purpose === 'work') return { kind: 'private', channelId: t.channelId };
  return { kind: 'customer_thread', channelId: t.channelId, shared: true };
}

/** An internal view was about to reach a place a customer can read. */
export class AudienceViolationError extends FrontdeskError {
  constructor(message: string) {
    super('frontdesk_audience_violation', message);
  }
}

/** What the guard needs to know about one delivery. */
export interface GuardRequest {
  /** `post`/`update` are visible to everyone in the channel; `ephemeral`/`dm` are private. */
  op: 'post' | 'update' | 'ephemeral' | 'dm';
  channelId: string;
  /** The thread it goes into, if any (a customer thread of any ticket is customer-facing). */
  threadId?: string | null;
  /** The platform (to look the thread up); without it the thread is not looked up. */
  platform?: string;
  view: MessageView;
  /** The ticket the message is about, if any. */
  ticket?: Pick<Ticket, 'key' | 'channelId' | 'triageChannelId'> | null;
  purpose?: Purpose;
}

/** Looks up the ticket whose customer thread is `threadId` in `channelId` (core data, not the adapter's say). */
export type ThreadTicketLookup = (platform: string, channelId: string, threadId: string) => Pick<Ticket, 'key' | 'channelId' | 'triageChannelId'> | null;

/**
 * Checks every delivery at send time, whatever path it takes (outbox rows, command answers,
 * replaced messages). Where customers read is decided here, from the config and the tickets:
 * - a support channel in triage mode: configured with a triage channel, or — with `channels: []`
 *   and a top-level `triageChannel` — every channel except triage and digest channels (for new
 *   posts; direct messages go as `dm` and are private);
 * - the customer channel of a triage-mode ticket, and the customer thread of any such ticket.
 * Only customer views may be posted there. In inline mode the requester's channel takes the card
 * and status lines, never work (plans, drafts, pings, prompts, notes).
 */
export class AudienceGuard {
  constructor(
    private readonly config: Pick<FrontdeskConfig, 'channels' | 'triageChannel' | 'digest'>,
    private readonly threadTicket: ThreadTicketLookup = () => null,
  ) {}

  /**
   * Is `channelId` (or the thread `threadId` in it) a place customers read, where only customer
   * views may go? `op: 'update'` replaces a message that was checked when it was posted, so the
   * every-channel rule of `channels: []` applies to new posts only.
   */
  customerFacing(channelId: string, ticket?: GuardRequest['ticket'], opts: { threadId?: string | null; platform?: string; op?: GuardRequest['op'] } = {}): boolean {
    if (isTriageChannel(this.config, channelId) || this.config.digest.channels.some((d) => bare(d) === channelId)) return false;
    if (ticket?.triageChannelId && ticket.channelId === channelId) return true;
    if (opts.threadId && opts.platform) {
      const owner = this.threadTicket(opts.platform, channelId, opts.threadId);
      if (owner?.triageChannelId && owner.channelId === channelId) return true;
    }
    if (this.config.channels.length === 0) return Boolean(this.config.triageChannel) && opts.op !== 'update';
    return this.config.channels.some((c) => c.id === channelId) && channelMode(this.config, channelId) === 'triage';
  }

  /** Throws AudienceViolationError when the delivery would show internal content to a customer. */
  check(req: GuardRequest): void {
    if (req.op === 'ephemeral' || req.op === 'dm') return;
    if (audienceOf(req.view) === 'customer') return;
    const about = req.ticket ? ` (${req.ticket.key})` : '';
    if (this.customerFacing(req.channelId, req.ticket, { threadId: req.threadId, platform: req.platform, op: req.op }))
      throw new AudienceViolationError(
        `refused to post an internal message${about} in ${req.channelId}, which customers read: "${req.view.text.slice(0, 80)}". Internal views go to the triage channel.`,
      );
    if (req.purpose === 'work' && req.ticket && !req.ticket.triageChannelId && req.ticket.channelId === req.channelId)
      throw new AudienceViolationError(
        `refused to post agents' work${about} in the requester's channel ${req.channelId}: "${req.view.text.slice(0, 80)}". In inline mode it goes privately to agents.`,
      );
  }

  /**
   * Would this delivery be allowed? (For answers that do not go through the outbox: a command
   * answer meant for the channel, a clicked message replaced in place.)
   * @example guard.allows({ op: 'post', channelId: 'C_SUPPORT', view: queueView }) // false in triage mode
   */
  allows(req: GuardRequest): boolean {
    try {
      this.check(req);
      return true;
    } catch (e) {
      if (e instanceof AudienceViolationError) return false;
      throw e;
    }
  }
}
