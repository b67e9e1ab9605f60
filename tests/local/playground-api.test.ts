/**
 * The playground end to end below the browser: its HTTP API and live stream against a real
 * core on real SQLite. A person's actions go through the same use cases as Slack's (messages,
 * buttons, selects, reactions, /ticket commands, forms), the bot's answers come back through
 * LocalChatPort, and each person sees only what is theirs to see.
 */
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliContext } from '../../adapters/compose.js';
import { registerTicketsCommands } from '../../src/cli/tickets-commands.js';
import type { LocalMessage } from '../../adapters/local/playground-store.js';
import type { Ticket } from '../../src/domain/types.js';
import { type RunningPlayground, T0, call, openStream, startPlayground, tempDir, textOf, waitFor } from './playground-harness.js';

interface Posted {
  message: { id: string; html: string };
  outcome: { kind: string; result?: string; ticket?: string | null; reason?: string };
}
interface Rendered {
  id: string;
  threadId: string | null;
  kind: string;
  visibleTo: string | null;
  editedAt: number | null;
  command: string | null;
  html: string;
  authorId: string;
}

let pg: RunningPlayground;
afterEach(async () => {
  await pg?.close();
});

const post = (as: string, text: string, extra: Record<string, unknown> = {}) => call<Posted>(pg.base, 'POST', '/messages', as, { channelId: 'support', text, ...extra });
const list = async (as: string, channel = 'support') => (await call<{ messages: Rendered[] }>(pg.base, 'GET', `/channels/${encodeURIComponent(channel)}/messages`, as)).messages;
const ticket = (key: string): Ticket => pg.core.tickets.require(key);
const card = (key: string): Promise<LocalMessage> =>
  waitFor(() => {
    const id = pg.core.tickets.repo.getByKey(key)?.cardMessageId;
    return id ? pg.pg.store.get(id) : null;
  }, `the card of ${key}`);

/** Open a ticket as a customer and wait for its card. */
async function openTicket(text = 'Login with SSO fails for me since this morning: "invalid SAMLResponse"', as = 'alex') {
  const res = await post(as, text);
  expect(res.outcome).toMatchObject({ kind: 'ticket', result: 'created' });
  const key = res.outcome.ticket!;
  return { key, source: res.message.id, card: await card(key) };
}

describe('posting in a channel', () => {
  it('turns a customer request into a ticket whose card the bot posts in the thread, for everyone to see', async () => {
    pg = await startPlayground();
    const { key, source, card: c } = await openTicket();
    expect(key).toBe('T-1001');
    expect(c).toMatchObject({ channelId: 'support', threadId: source, isBot: true, kind: 'message', visibleTo: null });
    const seenByPriya = (await list('priya')).find((m) => m.id === c.id)!;
    expect(textOf(seenByPriya.html)).toContain('T-1001 · Login with SSO fails');
    expect(seenByPriya.html).toContain('data-action-id="ticket.assign_me"');
  });

  it('leaves greetings alone: no ticket, no bot message', async () => {
    pg = await startPlayground();
    const res = await post('alex', 'hi everyone 👋');
    expect(res.outcome).toMatchObject({ kind: 'ticket', result: 'not_a_request' });
    await pg.core.outbox.drain();
    expect((await list('alex')).map((m) => m.authorId)).toEqual(['alex']);
    expect(pg.core.tickets.repo.list()).toEqual([]);
  });

  it('attaches thread replies to the ticket: an agent reply is the first response', async () => {
    pg = await startPlayground();
    const { key, source } = await openTicket();
    const res = await post('dana', 'Looking into it — can you send the time of the last failed attempt?', { threadId: source });
    expect(res.outcome).toEqual({ kind: 'reply', ticket: key });
    expect(ticket(key).firstResponseAt).toBe(T0);
  });

  it('shows what people type literally, and the card escapes it too', async () => {
    pg = await startPlayground();
    const nasty = 'Checkout broken <img src=x onerror=alert(1)> **urgent** <@dana> [x](javascript:alert(1))';
    const res = await post('alex', nasty);
    expect(res.message.html).toContain('&lt;img src=x onerror=alert(1)&gt; **urgent** &lt;@dana&gt;');
    const c = await card(res.outcome.ticket!);
    const shown = (await list('dana')).find((m) => m.id === c.id)!;
    expect(shown.html).not.toMatch(/<img|<a [^>]*javascript:/);
    expect(shown.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('adds channels (checking their names) and triages requests there too', async () => {
    pg = await startPlayground();
    const created = await call<{ channel: { id: string } }>(pg.base, 'POST', '/channels', 'morgan', { name: '#Billing-Help', topic: 'Invoices' });
    expect(created.channel.id).toBe('billing-help');
    const state = await call<{ channels: { id: string }[] }>(pg.base, 'GET', '/state', 'alex');
    expect(state.channels.map((c) => c.id)).toEqual(expect.arrayContaining(['support', 'billing-help']));
    await expect(call(pg.base, 'POST', '/channels', 'morgan', { name: 'Bad Name!' })).rejects.toMatchObject({ status: 400 });
    await expect(call(pg.base, 'POST', '/channels', 'morgan', { name: 'billing-help' })).rejects.toMatchObject({ status: 400 });
    const res = await post('priya', 'We were charged twice for the November invoice, please refund one', { channelId: 'billing-help' });
    expect(res.outcome).toMatchObject({ kind: 'ticket', result: 'created' });
    expect((await card(res.outcome.ticket!)).channelId).toBe('billing-help');
  });
});

describe('card buttons and selects', () => {
  it('call the same use cases as on Slack, and the card updates in place', async () => {
    pg = await startPlayground();
    const { key, card: c } = await openTicket();
    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.assign_me', value: key, messageId: c.id });
    expect(ticket(key).ownerId).toBe('dana');
    const assigned = await waitFor(() => {
      const m = pg.pg.store.get(c.id)!;
      return m.editedAt !== null && JSON.stringify(m.view).includes('<@dana>') ? m : null;
    }, 'the card to show the owner');
    expect(assigned.id).toBe(c.id);
    const shown = (await list('alex')).find((m) => m.id === c.id)!;
    expect(textOf(shown.html)).toContain('@Dana Whitfield');
    expect(shown.html).not.toContain('ticket.assign_me');

    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.priority', value: `${key}|P3`, messageId: c.id });
    expect(ticket(key).priority).toBe('P3');

    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.resolve', value: key, messageId: c.id });
    expect(ticket(key).status).toBe('resolved');
    await waitFor(async () => (await list('dana')).find((m) => m.id === c.id)?.html.includes('ticket.reopen'), 'the card to offer Reopen');
    expect(pg.pg.store.allMessages('support').filter((m) => m.id === c.id)).toHaveLength(1);
  });

  it('refuse agent-only actions for customers with an ephemeral only they see', async () => {
    pg = await startPlayground();
    const { key, card: c } = await openTicket();
    await call(pg.base, 'POST', '/actions', 'alex', { actionId: 'ticket.resolve', value: key, messageId: c.id });
    expect(ticket(key).status).toBe('triaged');
    const mine = (await list('alex')).filter((m) => m.kind === 'ephemeral');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ visibleTo: 'alex', threadId: c.threadId });
    expect(textOf(mine[0]!.html)).toContain('only support agents can do that');
    expect((await list('dana')).some((m) => m.kind === 'ephemeral')).toBe(false);
  });
});

describe('/ticket commands from the message box', () => {
  it('answer ephemerally to the person who typed them, in the thread they were typed in', async () => {
    pg = await startPlayground();
    const { key, source } = await openTicket();
    await post('dana', '/ticket list');
    await post('dana', `/ticket show ${key}`, { threadId: source });
    await post('dana', '/ticket frobnicate');
    await post('dana', '/giphy cats');
    const eph = await waitFor(async () => {
      const e = (await list('dana')).filter((m) => m.kind === 'ephemeral');
      return e.length === 4 ? e : null;
    }, 'four ephemeral answers');
    expect(eph.map((m) => m.command)).toEqual(['/ticket list', `/ticket show ${key}`, '/ticket frobnicate', '/giphy cats']);
    expect(textOf(eph[0]!.html)).toContain('Open tickets (1)');
    expect(eph[1]!.threadId).toBe(source);
    expect(textOf(eph[1]!.html)).toContain(key);
    expect(textOf(eph[2]!.html)).toContain('"frobnicate" is not a command I know');
    expect(textOf(eph[3]!.html)).toContain('Only /ticket commands work here');
    for (const m of eph) expect(m.visibleTo).toBe('dana');
    expect((await list('alex')).some((m) => m.kind === 'ephemeral')).toBe(false);
  });

  it('refuse agent-only commands to customers', async () => {
    pg = await startPlayground();
    const { key } = await openTicket();
    await post('alex', `/ticket resolve ${key}`);
    const eph = await waitFor(async () => (await list('alex')).find((m) => m.kind === 'ephemeral'), 'the refusal');
    expect(textOf(eph.html)).toContain('is for support agents');
    expect(ticket(key).status).toBe('triaged');
  });
});

describe('reactions', () => {
  it('👀 acknowledges and assigns, ✅ resolves, 🎫 makes a ticket of any message — for agents only', async () => {
    pg = await startPlayground();
    const { key, source } = await openTicket();
    const byAlex = await call<{ outcome: { kind: string; reason?: string } }>(pg.base, 'POST', '/reactions', 'alex', { messageId: source, emoji: 'white_check_mark' });
    expect(byAlex.outcome).toMatchObject({ kind: 'ignored', reason: 'reactions act only for agents' });
    expect(ticket(key).status).toBe('triaged');

    const eyes = await call<{ outcome: unknown }>(pg.base, 'POST', '/reactions', 'sam', { messageId: source, emoji: 'eyes' });
    expect(eyes.outcome).toEqual({ kind: 'acknowledged', ticket: key });
    expect(ticket(key)).toMatchObject({ status: 'acknowledged', ownerId: 'sam' });
    const done = await call<{ outcome: unknown }>(pg.base, 'POST', '/reactions', 'sam', { messageId: source, emoji: 'white_check_mark' });
    expect(done.outcome).toEqual({ kind: 'resolved', ticket: key });
    expect(ticket(key).status).toBe('resolved');
    expect(pg.pg.store.get(source)?.reactions).toEqual([
      { emoji: 'white_check_mark', users: ['alex', 'sam'] },
      { emoji: 'eyes', users: ['sam'] },
    ]);

    const chat = await post('jordan', 'thanks so much, that fixed it!');
    expect(chat.outcome).toMatchObject({ result: 'not_a_request' });
    const made = await call<{ outcome: { kind: string; ticket: string } }>(pg.base, 'POST', '/reactions', 'dana', { messageId: chat.message.id, emoji: 'ticket' });
    expect(made.outcome.kind).toBe('ticket');
    expect(ticket(made.outcome.ticket)).toMatchObject({ requesterId: 'jordan', sourceMessageId: chat.message.id });

    const off = await call<{ outcome: { reason: string } }>(pg.base, 'POST', '/reactions', 'dana', { messageId: chat.message.id, emoji: 'ticket' });
    expect(off.outcome.reason).toBe('reaction removed');
    expect(pg.pg.store.get(chat.message.id)?.reactions).toEqual([]);
  });
});

describe('suggested replies', () => {
  it('reach the agent who takes the ticket privately; Send posts it in the thread, Edit opens a form first', async () => {
    pg = await startPlayground({ ai: true });
    const first = await openTicket();
    const second = await openTicket('We were charged twice for the November invoice (INV-20931), please refund one', 'priya');
    const draftFor = (source: string) =>
      waitFor(async () => (await list('dana')).find((m) => m.kind === 'ephemeral' && m.threadId === source && textOf(m.html).includes('Suggested reply')), 'the draft for dana');
    const button = (html: string, actionId: string) => new RegExp(`data-action-id="${actionId}" data-value="([^"]+)"`).exec(html)![1]!.replace(/&amp;/g, '&');

    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.assign_me', value: first.key, messageId: first.card.id });
    const d1 = await draftFor(first.source);
    expect(d1.visibleTo).toBe('dana');
    expect((await list('alex')).some((m) => m.kind === 'ephemeral')).toBe(false);
    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'draft.send', value: button(d1.html, 'draft.send'), messageId: d1.id });
    const sent = await waitFor(
      // In the customer's thread, in Dana's name (she approved it).
      async () => (await list('alex')).find((m) => m.authorId === 'dana' && m.kind === 'message' && m.threadId === first.source),
      'the sent reply in the thread',
    );
    expect(textOf(sent.html).length).toBeGreaterThan(20);
    expect(ticket(first.key).firstResponseAt).not.toBeNull();

    const dana = await openStream(pg.base, 'dana');
    try {
      await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.assign_me', value: second.key, messageId: second.card.id });
      const d2 = await draftFor(second.source);
      await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'draft.edit', value: button(d2.html, 'draft.edit'), messageId: d2.id });
      const ev = await waitFor(() => dana.events.find((e) => e.event === 'form'), 'the edit form');
      const form = ev.data as { ref: number; html: string };
      expect(form.html).toContain('<textarea');
      await call(pg.base, 'POST', `/forms/${form.ref}`, 'dana', { values: { text: 'Hi Priya — refunded the duplicate charge <b>today</b>.' } });
      const edited = await waitFor(
        async () => (await list('priya')).find((m) => m.threadId === second.source && textOf(m.html).includes('refunded the duplicate charge')),
        'the edited reply',
      );
      expect(edited.html).toContain('&lt;b&gt;today&lt;/b&gt;');
    } finally {
      dana.close();
    }
  });
});

describe('forms', () => {
  it('open as a dialog for their person only and submit to the core with the state kept on the server', async () => {
    pg = await startPlayground();
    const got: { state: string; values: Record<string, string>; userId: string }[] = [];
    pg.core.interactions.onAction('test.open_form', () => ({
      form: { formId: 'test.form', title: 'Add note', submitLabel: 'Save', state: 'T-1001|secret', fields: [{ type: 'text', id: 'note', label: 'Note', multiline: true }] },
    }));
    pg.core.interactions.onForm('test.form', (state, values, ctx) => {
      got.push({ state, values, userId: ctx.userId });
      return { ephemeral: { text: 'saved', blocks: [{ type: 'text', text: '**Saved.**' }] } };
    });
    const dana = await openStream(pg.base, 'dana');
    const sam = await openStream(pg.base, 'sam');
    try {
      await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'test.open_form', value: 'x' });
      const ev = await waitFor(() => dana.events.find((e) => e.event === 'form'), 'the form event');
      const form = ev.data as { ref: number; html: string; title: string };
      expect(form.title).toBe('Add note');
      expect(form.html).toContain('<textarea id="f0-note" name="note"');
      expect(form.html).not.toContain('secret');
      expect(sam.events.some((e) => e.event === 'form')).toBe(false);
      await expect(call(pg.base, 'POST', `/forms/${form.ref}`, 'sam', { values: { note: 'x' } })).rejects.toMatchObject({ status: 404 });
      await expect(call(pg.base, 'POST', `/forms/${form.ref}`, 'dana', { values: {} })).rejects.toMatchObject({ status: 400 });
      const res = await call<{ notice: string }>(pg.base, 'POST', `/forms/${form.ref}`, 'dana', { values: { note: 'call back at 3' } });
      expect(res.notice).toContain('<strong>Saved.</strong>');
      expect(got).toEqual([{ state: 'T-1001|secret', values: { note: 'call back at 3' }, userId: 'dana' }]);
      await expect(call(pg.base, 'POST', `/forms/${form.ref}`, 'dana', { values: { note: 'again' } })).rejects.toMatchObject({ status: 409 });
    } finally {
      dana.close();
      sam.close();
    }
  });
});

describe('the queue (App Home)', () => {
  it('shows my tickets, the team queue and what is at risk, with working buttons', async () => {
    pg = await startPlayground();
    const { key } = await openTicket();
    const { html } = await call<{ html: string }>(pg.base, 'GET', '/queue', 'dana');
    const text = textOf(html);
    expect(text).toContain('My open tickets (0)');
    expect(text).toContain('Team queue by priority');
    expect(text).toContain(`Unassigned, most urgent first (1)`);
    expect(text).toContain(key);
    const res = await call<{ notice: string | null }>(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.escalate', value: key });
    expect(textOf(res.notice ?? '')).toContain(`${key} escalated to`);
    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.assign_me', value: key });
    expect(textOf((await call<{ html: string }>(pg.base, 'GET', '/queue', 'dana')).html)).toContain('My open tickets (1)');
  });
});

describe('the clock control', () => {
  it('jumps and speeds up the bot clock and runs the scheduled jobs at the new time', async () => {
    pg = await startPlayground();
    const seen: number[] = [];
    pg.core.scheduler.add('test-job', '0 0 1 1 *', () => {
      seen.push(pg.core.clock.now());
    });
    const after = await call<{ now: number; movable: boolean }>(pg.base, 'POST', '/clock', 'morgan', { advanceMs: 3_600_000 });
    expect(after).toMatchObject({ now: T0 + 3_600_000, movable: true });
    expect(pg.core.clock.now()).toBe(T0 + 3_600_000);
    expect(seen).toEqual([T0 + 3_600_000]);
    expect(await call(pg.base, 'POST', '/clock', 'morgan', { speed: 60 })).toMatchObject({ speed: 60 });
    await expect(call(pg.base, 'POST', '/clock', 'morgan', { speed: 7 })).rejects.toMatchObject({ status: 400 });
    await expect(call(pg.base, 'POST', '/clock', 'morgan', { advanceMs: -5 })).rejects.toMatchObject({ status: 400 });
    await expect(call(pg.base, 'POST', '/clock', 'morgan', { advanceMs: 365 * 86_400_000 })).rejects.toMatchObject({ status: 400 });
  });

  it('while sped up, runs the scheduled jobs on the moving clock and re-announces the time', async () => {
    pg = await startPlayground({ playground: { tickMs: 20 } });
    const seen: number[] = [];
    pg.core.scheduler.add('test-job', '0 0 1 1 *', () => {
      seen.push(pg.core.clock.now());
    });
    const stream = await openStream(pg.base, 'morgan');
    try {
      await call(pg.base, 'POST', '/clock', 'morgan', { speed: 600 });
      await waitFor(() => seen.length >= 2, 'two job runs while sped up');
      expect(seen[1]!).toBeGreaterThan(seen[0]!);
      await waitFor(() => stream.events.filter((e) => e.event === 'clock').length >= 2, 'clock events from the ticker');
    } finally {
      stream.close();
    }
  });

  it('shows the breach escalation prompt in the internal thread in #triage after a jump past a first-response deadline', async () => {
    pg = await startPlayground({ playground: { triage: true } });
    const { key, card: c } = await openTicket('SSO login is broken for the whole team, nobody can sign in to the dashboard');
    const t = ticket(key);
    expect(['P0', 'P1']).toContain(t.priority);
    await call(pg.base, 'POST', '/clock', 'morgan', { advanceMs: t.sla.firstResponseMs + 60_000 });
    const prompt = await waitFor(
      async () => (await list('dana', 'triage')).find((m) => m.threadId === c.id && textOf(m.html).includes('missed its first response SLA')),
      'the breach prompt',
    );
    expect((await list('alex')).some((m) => textOf(m.html).includes('missed its first response SLA'))).toBe(false);
    expect(prompt.html).toContain('data-action-id="escalation.take"');
    const refreshed = await waitFor(async () => (await list('dana', 'triage')).find((m) => m.id === c.id && textOf(m.html).includes('first response overdue by')), 'the card to show the breach');
    expect(refreshed.editedAt).not.toBeNull();
  });

  it("sends the leads' digest to #leads once its time has come", async () => {
    pg = await startPlayground();
    await openTicket();
    await call(pg.base, 'POST', '/clock', 'morgan', { advanceMs: 15 * 60_000 });
    const digest = await waitFor(async () => (await list('morgan', 'leads')).find((m) => m.authorId === 'frontdesk'), 'the digest in #leads');
    expect(textOf(digest.html).toLowerCase()).toContain('digest');
  });
});

describe('live updates', () => {
  it('push to each browser only what its person may see', async () => {
    pg = await startPlayground();
    const alex = await openStream(pg.base, 'alex');
    const dana = await openStream(pg.base, 'dana');
    try {
      const { key } = await openTicket();
      await waitFor(() => alex.events.some((e) => e.event === 'message' && (e.data as Rendered).html.includes(`${key} ·`)), 'the card on alex’s stream');
      await post('dana', '/ticket list');
      await waitFor(() => dana.events.some((e) => e.event === 'message' && (e.data as Rendered).command === '/ticket list'), 'dana’s ephemeral');
      await call(pg.base, 'POST', '/clock', 'morgan', { speed: 60 });
      await waitFor(() => alex.events.some((e) => e.event === 'clock'), 'the clock event');
      const leaked = alex.events.filter((e) => e.event === 'message' && (e.data as Rendered).visibleTo !== null);
      expect(leaked).toEqual([]);
      expect(dana.events.some((e) => e.event === 'tickets')).toBe(true);
    } finally {
      alex.close();
      dana.close();
    }
  });
});

describe('safety', () => {
  it('refuses cross-site writes, unknown people and other people’s DMs', async () => {
    pg = await startPlayground();
    const res = await fetch(`${pg.base}/local/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ as: 'dana', channelId: 'support', text: '/ticket list' }),
    });
    expect(res.status).toBe(403);
    const same = await fetch(`${pg.base}/local/api/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: pg.base },
      body: JSON.stringify({ as: 'dana', speed: 1 }),
    });
    expect(same.status).toBe(200);
    await expect(call(pg.base, 'GET', '/state', 'mallory')).rejects.toMatchObject({ status: 400 });
    await pg.pg.port.dm({ userId: 'dana', view: { text: 'private ping', blocks: [] } });
    expect((await list('dana', 'dm:dana')).map((m) => textOf(m.html).trim())).toEqual(['private ping']);
    await expect(list('alex', 'dm:dana')).rejects.toMatchObject({ status: 403 });
  });

  it('serves the page with a strict content security policy', async () => {
    pg = await startPlayground();
    const res = await fetch(`${pg.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('Local development surface');
    expect((await fetch(`${pg.base}/local/assets/playground.js`)).status).toBe(200);
  });
});

describe('one database', () => {
  it('keeps the conversation and the clock across restarts, and the CLI lists what was done in the browser', async () => {
    const tmp = tempDir();
    const dbPath = `${tmp.dir}/frontdesk.db`;
    try {
      const start = Date.now();
      pg = await startPlayground({ dbPath, start });
      const { key } = await openTicket();
      await call(pg.base, 'POST', '/clock', 'morgan', { advanceMs: 3_600_000 });
      await pg.close();

      pg = await startPlayground({ dbPath, start: Date.now() });
      expect(pg.core.clock.now()).toBeGreaterThanOrEqual(start + 3_600_000);
      const texts = (await list('alex')).map((m) => textOf(m.html));
      expect(texts[0]).toContain('Login with SSO fails');
      expect(texts.some((t) => t.includes(`${key} ·`))).toBe(true);
      await pg.close();

      const out: string[] = [];
      const ctx = createCliContext({ FRONTDESK_DB: dbPath, LOG_LEVEL: 'silent' }, (s) => out.push(s));
      const program = new Command().exitOverride();
      registerTicketsCommands(program, ctx);
      await program.parseAsync(['tickets', 'list'], { from: 'user' });
      await ctx.close();
      expect(out.join('\n')).toMatch(new RegExp(`${key}\\s+P\\d\\s+triaged`));
    } finally {
      tmp.cleanup();
    }
  });
});

describe('two audiences (the playground default: a private #triage channel)', () => {
  it('a customer sees only the acknowledgement and the agent’s reply; #triage holds the card and is hidden from customers', async () => {
    pg = await startPlayground({ playground: { triage: true } });
    const { key, source, card: c } = await openTicket();
    expect(c).toMatchObject({ channelId: 'triage', threadId: null, isBot: true });
    // The "you are" switch: customers do not get #triage at all; agents do.
    const channelsOf = async (as: string) => (await call<{ channels: { id: string }[] }>(pg.base, 'GET', '/state', as)).channels.map((ch) => ch.id);
    expect(await channelsOf('alex')).not.toContain('triage');
    expect(await channelsOf('dana')).toContain('triage');
    await expect(list('alex', 'triage')).rejects.toThrow(/403|private/);
    expect((await list('dana', 'triage')).find((m) => m.id === c.id)!.html).toContain('data-action-id="ticket.reply_to_customer"');

    // Dana answers from #triage: the reply lands in Alex's thread in Dana's name.
    const form = await call<{ notice: string | null }>(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.reply_to_customer', value: key, messageId: c.id });
    expect(form.notice).toBeNull();
    const open = pg.pg.store.openFormsFor('dana')[0]!;
    await call(pg.base, 'POST', `/forms/${open.id}`, 'dana', { values: { text: 'Fixed on our side — please try again.' } });
    await pg.core.outbox.drain();
    const replies = await waitFor(async () => {
      const m = (await list('alex')).filter((x) => x.threadId === source);
      return m.length >= 2 ? m : null;
    }, 'ack and reply in the customer thread');
    expect(replies.map((m) => m.authorId)).toEqual(['frontdesk', 'dana']);
    expect(textOf(replies[0]!.html)).toContain(`we have your request: ${key}`);
    expect(textOf(replies[1]!.html)).toContain('Fixed on our side');
    for (const m of await list('alex')) expect(m.html).not.toContain('data-action-id');
    expect(ticket(key)).toMatchObject({ status: 'in_progress', ownerId: 'dana' });
  });
});
