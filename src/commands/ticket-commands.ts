/**
 * The /ticket subcommands shared by every platform, and the dispatcher that turns a raw
 * command line into a reply: unknown subcommands and bad arguments get the right usage,
 * agent-only actions by non-agents are refused politely.
 */
import { FrontdeskError, InputInvalidError } from '../domain/errors.js';
import { PRIORITIES, type Priority, STATUSES, type Ticket, type TicketStatus } from '../domain/types.js';
import { guardCommandReply } from '../audience/guard-answers.js';
import { isOthersTicket, recordResolutionNote } from '../tickets/csat.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { ACTIONS } from '../views/action-ids.js';
import { confirmOthersTicketView, resolutionNoteForm } from '../views/csat-view.js';
import { NO_TRACKER } from '../views/handoff-views.js';
import { customerTicketView } from '../views/customer-home-view.js';
import type { MessageView } from '../ports/message-view.js';
import { mention, plain } from '../ports/message-view.js';
import { errorView, notice, slaView, ticketDetailView, ticketListView } from '../views/ticket-views.js';
import { type CommandContext, type CommandReply, type CommandRegistry, tokenizeCommand } from './command-registry.js';
import { customerHome } from './home.js';
import { listTickets, nextTier } from './queue.js';
import { resolvePerson } from './resolve-person.js';

const eph = (view: MessageView): CommandReply => ({ view, visibility: 'ephemeral' });

class UsageError extends InputInvalidError {}

function needTicket(svc: TicketService, ref: string | undefined): Ticket {
  if (!ref) throw new UsageError('Which ticket? Give its id, e.g. T-1042.');
  return svc.require(ref);
}

/** Register the built-in subcommands. */
export function registerTicketCommands(reg: CommandRegistry, svc: TicketService): void {
  const tz = svc.config.timezone;
  reg.register({
    name: 'help',
    usage: 'help',
    summary: 'what I can do',
    agentOnly: false,
    run: () => eph(helpView(reg)),
  });
  reg.register({
    name: 'new',
    usage: 'new TEXT',
    summary: 'open a ticket',
    agentOnly: false,
    run: (_a, ctx, raw) => {
      const text = raw.replace(/^\s*new\s*/i, '');
      if (!text.trim()) throw new UsageError('Say what the ticket is about, e.g. `new Checkout fails with error 502`.');
      const res = svc.open({ platform: ctx.platform, channelId: ctx.channelId, requesterId: ctx.userId, text, force: true, createdBy: ctx.userId });
      if (!res.ticket) throw new InputInvalidError('Could not open a ticket from that text.');
      return eph(notice(`Opened **${res.ticket.key}** (${res.ticket.priority}, ${res.ticket.category}). The card is in the channel.`));
    },
  });
  reg.register({
    name: 'show',
    usage: 'show ID',
    summary: 'a ticket with its timeline',
    agentOnly: false,
    run: ([id], ctx) => {
      const t = needTicket(svc, id);
      if (!svc.directory.isAgent(ctx.userId)) {
        if (t.requesterId !== ctx.userId) throw new FrontdeskError('frontdesk_not_permitted', `${t.key} is someone else's ticket; only agents can see it.`);
        // The requester sees their request and its status, not the internal timeline.
        return eph(customerTicketView(t, tz));
      }
      return eph(ticketDetailView(t, svc.repo.events(t.id), svc.clock.now(), tz, svc.details(t)));
    },
  });
  reg.register({
    name: 'list',
    usage: 'list [mine|open|breaching|unassigned]',
    summary: 'lists of tickets',
    agentOnly: false,
    run: ([which = 'open'], ctx) => {
      if (!['mine', 'open', 'breaching', 'unassigned'].includes(which)) throw new UsageError(`"${which}" is not a list. Choose mine, open, breaching or unassigned.`);
      if (!svc.directory.isAgent(ctx.userId)) {
        // Only their own requests, in customer words, no agent actions.
        return eph(customerHome(svc, ctx.userId));
      }
      const { title, tickets } = listTickets(svc, which, ctx.userId);
      return eph(ticketListView(title, tickets, svc.clock.now()));
    },
  });
  reg.register({
    name: 'assign',
    usage: 'assign ID @user',
    summary: 'give a ticket an owner',
    agentOnly: true,
    run: ([id, ...who], ctx) => {
      const t = needTicket(svc, id);
      if (who.length === 0) throw new UsageError('Who should own it? Mention them, e.g. `assign T-1042 @dana`.');
      // "@Sam", "@Sam Okafor", "me", or a platform mention; nobody the directory does not know.
      const user = resolvePerson(svc.directory, who.join(' '), ctx.userId);
      // Someone else's ticket: confirm first.
      if (isOthersTicket(t, ctx.userId) && user !== t.ownerId) return eph(confirmOthersTicketView(t, 'reassign', ACTIONS.reassignConfirmed, `${t.key}|${user}`, user));
      svc.assign(t.key, user, ctx.userId);
      return eph(notice(`${t.key} is assigned to ${mention(user)}.`));
    },
  });
  reg.register({
    name: 'priority',
    usage: 'priority ID P0-P4',
    summary: 'change priority (trains triage)',
    agentOnly: true,
    run: ([id, p], ctx) => {
      const t = needTicket(svc, id);
      const pr = p?.toUpperCase() as Priority | undefined;
      if (!pr || !PRIORITIES.includes(pr)) throw new UsageError(`"${p ?? ''}" is not a priority. Use P0, P1, P2, P3 or P4.`);
      svc.setPriority(t.key, pr, ctx.userId);
      return eph(notice(`${t.key} is now ${pr}. Thanks — triage learns from corrections.`));
    },
  });
  reg.register({
    name: 'category',
    usage: 'category ID NAME',
    summary: 'change category (trains triage)',
    agentOnly: true,
    run: ([id, c], ctx) => {
      const t = needTicket(svc, id);
      if (!c) throw new UsageError(`Which category? One of: ${svc.config.categories.join(', ')}.`);
      svc.setCategory(t.key, c.toLowerCase(), ctx.userId);
      return eph(notice(`${t.key} is now ${c.toLowerCase()}. Thanks — triage learns from corrections.`));
    },
  });
  reg.register({
    name: 'status',
    usage: `status ID ${STATUSES.join('|')}`,
    summary: 'move a ticket along',
    agentOnly: true,
    run: ([id, s], ctx) => {
      const t = needTicket(svc, id);
      const st = s?.toLowerCase().replace(/-/g, '_') as TicketStatus | undefined;
      if (!st || !STATUSES.includes(st)) throw new UsageError(`"${s ?? ''}" is not a status. Use one of: ${STATUSES.join(', ')}.`);
      svc.setStatus(t.key, st, ctx.userId);
      return eph(notice(`${t.key} is now ${st.replace(/_/g, ' ')}.`));
    },
  });
  reg.register({
    name: 'resolve',
    usage: 'resolve ID [note]',
    summary: 'resolve a ticket',
    agentOnly: true,
    run: ([id, ...note], ctx) => {
      const t = needTicket(svc, id);
      const text = note.join(' ');
      // Someone else's ticket: confirm first (the note rides along in the button's value).
      if (isOthersTicket(t, ctx.userId)) return eph(confirmOthersTicketView(t, 'resolve', ACTIONS.resolveConfirmed, `${t.key}|${text.slice(0, 1000)}`));
      svc.resolve(t.key, ctx.userId);
      // The note is what the team learned: internal, on the timeline. Without one, the form asks.
      if (text) {
        recordResolutionNote(svc, t.key, text, ctx.userId);
        return eph(notice(`${t.key} is resolved; the resolution note is on its timeline.`));
      }
      return { ...eph(notice(`${t.key} is resolved.`)), form: resolutionNoteForm(svc.require(t.key)) };
    },
  });
  reg.register({
    name: 'reopen',
    usage: 'reopen ID',
    summary: 'reopen a resolved ticket',
    agentOnly: true,
    run: ([id], ctx) => {
      const t = needTicket(svc, id);
      svc.reopen(t.key, ctx.userId);
      return eph(notice(`${t.key} is open again.`));
    },
  });
  reg.register({
    name: 'note',
    usage: 'note ID TEXT',
    summary: 'add an internal note',
    agentOnly: true,
    run: ([id, ...text], ctx) => {
      const t = needTicket(svc, id);
      if (text.length === 0) throw new UsageError('Write the note after the ticket id, e.g. `note T-1042 customer on call at 3pm`.');
      svc.addNote(t.key, text.join(' '), ctx.userId);
      return eph(notice(`Note added to ${t.key}.`));
    },
  });
  reg.register({
    name: 'escalate',
    usage: 'escalate ID [reason] · escalate ID engineering',
    summary: 'escalate to the next tier; `engineering` opens an issue preview (GitHub, Jira, Linear)',
    agentOnly: true,
    run: ([id, ...reason], ctx) => {
      const t = needTicket(svc, id);
      // The engineering hand-off (src/handoff/install.ts) takes this word over when a tracker is configured.
      if (reason.length === 1 && reason[0]!.toLowerCase() === 'engineering') throw new InputInvalidError(NO_TRACKER);
      const target = nextTier(svc, t);
      svc.escalate(t.key, ctx.userId, target, reason.join(' ') || undefined);
      return eph(notice(`${t.key} escalated to ${plain(target.name)}.`));
    },
  });
  reg.register({
    name: 'sla',
    usage: 'sla ID',
    summary: 'SLA clocks of a ticket',
    agentOnly: false,
    run: ([id]) => eph(slaView(needTicket(svc, id), svc.clock.now(), tz)),
  });
}

export function helpView(reg: CommandRegistry): MessageView {
  const lines = reg
    .all()
    .map((s) => `\`${s.usage}\` — ${s.summary}${s.agentOnly ? ' _(agents)_' : ''}`)
    .join('\n');
  return {
    text: 'frontdesk commands',
    blocks: [
      { type: 'header', text: 'frontdesk · commands' },
      { type: 'text', text: lines },
      { type: 'context', elements: ['In Slack type `/ticket <command>`; in Teams mention the bot: `@frontdesk <command>`. In threads, use the card buttons and reactions (👀 acknowledge, ✅ resolve).'] },
    ],
  };
}

/**
 * Run a raw command line (without the `/ticket` or `@frontdesk` prefix).
 * Never throws: problems become an ephemeral message naming the problem and the usage.
 */
export async function runCommand(reg: CommandRegistry, svc: TicketService, raw: string, ctx: CommandContext): Promise<CommandReply> {
  const words = tokenizeCommand(raw.trim());
  const name = (words[0] ?? 'help').toLowerCase();
  const spec = reg.get(name);
  if (!spec) {
    const known = reg.all().map((s) => s.name).join(', ');
    return eph(errorView(`"${name}" is not a command I know. Try one of: ${known}.`));
  }
  if (spec.agentOnly && !svc.directory.isAgent(ctx.userId))
    return eph(errorView(`Sorry — \`${spec.name}\` is for support agents. You can use \`show\`, \`list\`, \`new\` and \`help\`, or ask in the thread.`));
  try {
    // Where the answer may show is the core's call, not the adapter's (two audiences).
    return guardCommandReply(svc.audience, await spec.run(words.slice(1), ctx, raw.trim()), ctx, svc.logger);
  } catch (e) {
    // The usage line only when the arguments were the problem (not for "no such ticket" or a
    // status change the lifecycle refuses: the usage would not help there).
    if (e instanceof FrontdeskError) return eph(errorView(e.message, e instanceof InputInvalidError ? spec.usage : undefined));
    throw e;
  }
}
