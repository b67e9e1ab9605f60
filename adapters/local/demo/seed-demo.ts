/**
 * `frontdesk demo`'s engine: replay a scripted stream of support traffic (adapters/local/demo/demo-messages.jsonl)
 * into the local playground over simulated hours before "now", through the real core — messages
 * are triaged into tickets, agents reply, react, click card buttons and run /ticket commands,
 * and the SLA watcher sweeps every few simulated minutes — so a newcomer opens the playground
 * to a busy queue with warnings, breaches, escalation prompts and a leads' digest.
 *
 * Each line of the file is one step: `{"ago":"2h10m","as":"dana", …}` plus exactly one of
 *   "say": text            a message (top level; with "reply": <id> a reply in that thread)
 *   "react": emoji         a reaction on the message named by "on"
 *   "click": action id     a button on the ticket of the message named by "on" (value: the ticket id)
 *   "command": text        a /ticket command; "{id}" stands for the ticket of that message
 * "id" names a message for later steps; "channel" defaults to "support".
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Core } from '../../../src/app.js';
import { runCommand } from '../../../src/commands/ticket-commands.js';
import { digestZone, parseDigestChannel } from '../../../src/digest/digest-job.js';
import { localDate } from '../../../src/digest/period.js';
import { InputInvalidError } from '../../../src/domain/errors.js';
import type { SlaAndDigest } from '../../../src/escalation/install.js';
import { handleMessage, handleReaction, ticketForMessage } from '../../../src/inbound/inbound.js';
import type { ChatPort } from '../../../src/ports/chat-port.js';
import type { ManualClock } from '../../../src/ports/clock.js';
import { parseDuration } from '../../../src/util/duration.js';
import { ACTIONS } from '../../../src/views/action-ids.js';
import { digestView } from '../../../src/views/digest-view.js';
import type { MessageView } from '../../../src/ports/message-view.js';
import { demoPerson } from '../people.js';
import { PLAYGROUND_DIGEST_CHANNEL } from '../playground-defaults.js';
import type { PlaygroundStore } from '../playground-store.js';

/** The demo stream shipped with frontdesk. */
export const DEFAULT_DEMO_FILE = fileURLToPath(new URL('./demo-messages.jsonl', import.meta.url));

const stepSchema = z
  .object({
    ago: z.string().refine((s) => parseDuration(s) !== null, 'expected a duration like "2h10m"'),
    as: z.string().refine((id) => demoPerson(id) !== undefined, 'not one of the demo people (adapters/local/people.ts)'),
    say: z.string().min(1).optional(),
    reply: z.string().optional(),
    react: z.string().regex(/^[a-z0-9_+-]+$/).optional(),
    click: z.string().optional(),
    command: z.string().min(1).optional(),
    on: z.string().optional(),
    id: z.string().optional(),
    channel: z.string().optional(),
  })
  .strict()
  .refine((s) => [s.say, s.react, s.click, s.command].filter((x) => x !== undefined).length === 1, 'needs exactly one of say, react, click, command')
  .refine((s) => (s.react === undefined && s.click === undefined) || s.on !== undefined, '"react" and "click" need "on" (the id of a message)');

export type DemoStep = z.output<typeof stepSchema> & { line: number };

/**
 * Read and check a demo file (JSON Lines). Steps come back oldest first.
 * @example const steps = loadDemoSteps(); // the shipped stream
 */
export function loadDemoSteps(path: string = DEFAULT_DEMO_FILE): DemoStep[] {
  const steps: DemoStep[] = [];
  const ids = new Set<string>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      if (!raw.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new InputInvalidError(`${path} line ${i + 1}: not valid JSON`);
      }
      const r = stepSchema.safeParse(json);
      if (!r.success) throw new InputInvalidError(`${path} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.') || 'step'}: ${x.message}`).join('; ')}`);
      for (const ref of [r.data.reply, r.data.on]) if (ref !== undefined && !ids.has(ref)) throw new InputInvalidError(`${path} line ${i + 1}: no earlier message has id "${ref}"`);
      if (r.data.id) ids.add(r.data.id);
      steps.push({ ...r.data, line: i + 1 });
    });
  // Oldest first; steps at the same time keep their order in the file.
  return steps.map((s, i) => ({ s, i })).sort((a, b) => agoMs(b.s) - agoMs(a.s) || a.i - b.i).map((x) => x.s);
}

function agoMs(s: { ago: string }): number {
  return parseDuration(s.ago)!;
}

export interface SeedDeps {
  core: Core;
  store: PlaygroundStore;
  /** The playground's ChatPort, registered on the core (cards and pings are written through it). */
  port: ChatPort;
  /** The core's clock: the seeder moves it through the simulated hours. */
  clock: ManualClock;
  sla: SlaAndDigest;
}

export interface SeedResult {
  /** Messages people posted. */
  messages: number;
  ticketsOpened: number;
  /** Messages triage left alone (greetings, thanks). */
  leftAlone: number;
  resolved: number;
  breaches: number;
  /** Where the leads' digest was posted, and whether it was the real one or a preview. */
  digest: { channel: string; preview: boolean } | null;
  from: number;
  to: number;
}

/** Send everything the outbox holds for the playground now (retrying briefly if rate-limited). */
async function drainAll(core: Core): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await core.outbox.drain();
    const due = core.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND platform = 'local'").get()?.n ?? 0;
    if (due === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Replay `steps` so that the last one happens just before `now`, sweeping SLAs every
 * `sweepEveryMs` of simulated time, then post the leads' digest (the real one when it is
 * due, otherwise a preview of today's so far).
 */
export async function seedDemo(deps: SeedDeps, steps: DemoStep[], opts: { now: number; sweepEveryMs?: number }): Promise<SeedResult> {
  const { core, store, clock, sla } = deps;
  const svc = core.tickets;
  const every = opts.sweepEveryMs ?? 5 * 60_000;
  const from = opts.now - Math.max(0, ...steps.map(agoMs));
  const refs = new Map<string, { messageId: string; channelId: string }>();
  const result: SeedResult = { messages: 0, ticketsOpened: 0, leftAlone: 0, resolved: 0, breaches: 0, digest: null, from, to: opts.now };
  const breachesBefore = countEvents(core, 'sla_breached');
  let nextSweep = from + every;
  // Resolving or reassigning a colleague's ticket asks first; the demo's agent confirms.
  const confirmIfAsked = async (view: MessageView | undefined, who: string) => {
    for (const b of view?.blocks ?? [])
      if (b.type === 'actions')
        for (const e of b.elements)
          if (e.type === 'button' && (e.actionId === ACTIONS.resolveConfirmed || e.actionId === ACTIONS.reassignConfirmed))
            await core.interactions.action(e.actionId, e.value, { platform: 'local', userId: who });
  };

  const advanceTo = async (at: number) => {
    while (nextSweep <= at) {
      clock.set(nextSweep);
      await sla.sweeper.sweep();
      await drainAll(core);
      nextSweep += every;
    }
    clock.set(at);
  };
  /** Ids are checked when the file is loaded, so a named message always exists here. */
  const ref = (id: string) => refs.get(id)!;
  const ticketOf = (step: DemoStep, id: string) => {
    const r = ref(id);
    const t = ticketForMessage(svc, 'local', r.channelId, r.messageId);
    if (!t) throw new InputInvalidError(`demo line ${step.line}: the message "${id}" has no ticket`);
    return t;
  };

  for (const step of steps) {
    await advanceTo(opts.now - agoMs(step));
    const at = clock.now();
    const who = step.as;
    if (step.say !== undefined) {
      const parent = step.reply ? ref(step.reply) : null;
      const channelId = parent?.channelId ?? step.channel ?? 'support';
      const m = store.postHuman({ channelId, threadId: parent?.messageId ?? null, authorId: who, text: step.say, at });
      result.messages += 1;
      if (step.id) refs.set(step.id, { messageId: m.id, channelId });
      const out = handleMessage(svc, {
        platform: 'local',
        eventId: `msg:${m.id}`,
        channelId,
        messageId: m.id,
        threadId: m.threadId,
        userId: who,
        userName: core.directory.nameOf(who),
        text: step.say,
        isBot: false,
      });
      if (out.kind === 'ticket' && out.result.outcome === 'created') result.ticketsOpened += 1;
      if (out.kind === 'ticket' && out.result.outcome === 'not_a_request') result.leftAlone += 1;
    } else if (step.react !== undefined) {
      const target = ref(step.on!);
      const msg = store.react(target.messageId, who, step.react, true, at)!;
      const out = await handleReaction(svc, {
        platform: 'local',
        channelId: target.channelId,
        messageId: target.messageId,
        userId: who,
        emoji: step.react,
        loadMessage: async () => ({ text: msg.text, userId: msg.authorId, threadId: msg.threadId }),
      });
      if (out.kind === 'ticket') result.ticketsOpened += 1;
      // ✅ on a colleague's ticket asks first: the demo's agent confirms.
      if (out.kind === 'confirm_asked') await core.interactions.action(ACTIONS.resolveConfirmed, `${out.ticket.key}|`, { platform: 'local', userId: who, channelId: target.channelId });
    } else if (step.click !== undefined) {
      const t = ticketOf(step, step.on!);
      const res = await core.interactions.action(step.click, t.key, {
        platform: 'local',
        userId: who,
        channelId: t.channelId,
        messageId: t.cardMessageId ?? undefined,
        threadId: t.threadId,
      });
      if (res.ephemeral?.blocks[0]?.type === 'text' && res.ephemeral.blocks[0].text.startsWith(':warning:'))
        throw new InputInvalidError(`demo line ${step.line}: ${res.ephemeral.text}`);
      await confirmIfAsked(res.ephemeral, who);
    } else if (step.command !== undefined) {
      const text = step.command.replace(/\{([^}]+)\}/g, (_m, id: string) => ticketOf(step, id).key);
      const reply = await runCommand(core.commands, svc, text, { platform: 'local', userId: who, channelId: step.channel ?? 'support' });
      // Ephemeral answers are not kept (Slack does not keep them either); a failed command is a broken demo file.
      const first = reply.view.blocks[0];
      if (first?.type === 'text' && first.text.startsWith(':warning:')) throw new InputInvalidError(`demo line ${step.line}: /ticket ${text}: ${reply.view.text}`);
      await confirmIfAsked(reply.view, who);
    }
    await drainAll(core);
  }
  await advanceTo(opts.now);
  await sla.sweeper.sweep();
  await drainAll(core);

  result.digest = await postDigest(deps, opts.now);
  await drainAll(core);
  result.resolved = svc.repo.list({ status: ['resolved', 'closed'], limit: 10_000 }).length;
  result.breaches = countEvents(core, 'sla_breached') - breachesBefore;
  return result;
}

function countEvents(core: Core, type: string): number {
  return core.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM ticket_events WHERE type = ?').get(type)?.n ?? 0;
}

/** The real digest when it is due; otherwise a preview of today's, so the demo always shows one. */
async function postDigest(deps: SeedDeps, now: number): Promise<SeedResult['digest']> {
  const { core, sla, port } = deps;
  const local = core.config.digest.channels.map(parseDigestChannel).find((c) => c.platform === 'local' || c.platform === null);
  const channel = local?.channelId ?? PLAYGROUND_DIGEST_CHANNEL;
  const sent = await sla.digests.run();
  if (sent.length > 0) return { channel, preview: false };
  const zone = digestZone(core.config, channel);
  const data = await sla.digests.build('daily', localDate(now, zone), zone, now);
  await port.post({ channelId: channel, view: digestView(data, { preview: true }) });
  return { channel, preview: true };
}
