/**
 * The SLA watcher's sweep against a real core and SQLite, moving a ManualClock: each threshold
 * once, DMs from 90%, on-call for unassigned/away owners, paused/resolved tickets, snoozes, the
 * drop-if-stale rule, restarts and crashes mid-sweep, two sweeps at once, one bad ticket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planPings } from '../../src/sla/sweep.js';
import { snapshotPolicy } from '../../src/sla/policy.js';
import { parseConfig } from '../../src/config/load-config.js';
import {
  AGENT2,
  CHANNEL, TRIAGE,
  type Desk,
  H,
  LEAD,
  MIN,
  MON,
  ONCALL,
  OWNER,
  TIER2,
  TIER3,
  actionsOf,
  events,
  makeDesk,
  nextCheck,
  outboxRows,
  pings,
  tempDir,
  viewOf,
  viewText,
} from './helpers.js';

let desks: Desk[] = [];
const cleanups: (() => void)[] = [];
function desk(o: Parameters<typeof makeDesk>[0] = {}): Desk {
  const d = makeDesk(o);
  desks.push(d);
  return d;
}
afterEach(async () => {
  for (const d of desks) await d.close();
  desks = [];
  for (const c of cleanups.splice(0)) c();
});

describe('planPings (pure)', () => {
  const snap = snapshotPolicy(parseConfig({}), 'P0');
  const t = { sla: snap, createdAt: 0, firstResponseAt: null, resolvedAt: null, pausedMs: 0, pausedSince: null, status: 'triaged' as const };

  it('sends only the highest reached threshold per clock and drops the ones that lost their point', () => {
    expect(planPings(t, new Set(), 29 * MIN)).toEqual([]);
    expect(planPings(t, new Set(), 30 * MIN)).toEqual([{ clock: 'first_response', threshold: 0.5, action: 'send' }]);
    expect(planPings(t, new Set(['first_response:0.5']), 55 * MIN).map((p) => `${p.threshold}:${p.action}`)).toEqual(['0.75:drop', '0.9:send']);
    const late = planPings(t, new Set(), 2 * H);
    expect(late.map((p) => `${p.clock}:${p.threshold}:${p.action}`)).toEqual([
      'first_response:0.5:drop',
      'first_response:0.75:drop',
      'first_response:0.9:drop',
      'first_response:1:send',
      'resolution:0.5:send',
    ]);
  });

  it('drops a lower threshold when a higher one was already pinged', () => {
    const p = planPings(t, new Set(['first_response:0.9']), 50 * MIN);
    expect(p.map((x) => `${x.threshold}:${x.action}`)).toEqual(['0.5:drop', '0.75:drop']);
  });
});

describe('thresholds', () => {
  it('pings the owner in the thread at 50/75/90% and breach, each exactly once, and by DM from 90%', async () => {
    const d = desk();
    const t = d.open('Checkout returns 502 for every customer', { priority: 'P0' });
    expect(nextCheck(d.db, t.id)).toBe(MON + 30 * MIN);

    d.clock.set(MON + 30 * MIN - 1000);
    expect((await d.sla.sweeper.sweep()).due).toBe(0);
    expect(outboxRows(d.db, 'sla:')).toEqual([]);

    const steps: [number, number, boolean][] = [
      [30, 0.5, false],
      [45, 0.75, false],
      [54, 0.9, true],
      [60, 1, true],
    ];
    for (const [minutes, f, dm] of steps) {
      d.clock.set(MON + minutes * MIN);
      const s1 = await d.sla.sweeper.sweep();
      const s2 = await d.sla.sweeper.sweep();
      expect(s1.sent).toBe(1);
      expect(s2.due).toBe(0);
      const rows = outboxRows(d.db, `sla:${t.id}:first_response:${f}`);
      expect(rows.map((r) => r.kind)).toEqual(dm ? ['post', 'dm'] : ['post']);
      const post = rows[0]!.payload;
      // In the ticket's internal thread (the desk is in triage mode), never the customer's.
      expect(post.kind === 'post' && post.internalThreadOfTicket).toBe(t.id);
      expect(post.kind === 'post' && post.channelId).toBe(TRIAGE);
      expect(viewText(viewOf(post))).toContain(`<@${OWNER}>`);
      if (dm) expect(rows[1]!.payload).toMatchObject({ kind: 'dm', userId: OWNER });
    }
    expect(viewText(viewOf(outboxRows(d.db, `sla:${t.id}:first_response:0.75`)[0]!.payload))).toContain('75% of the first response SLA used — due in 15m');
    expect(viewText(viewOf(outboxRows(d.db, `sla:${t.id}:first_response:1`)[0]!.payload))).toContain('first response SLA breached');
    // The resolution clock is next: 50% of 4 h.
    expect(nextCheck(d.db, t.id)).toBe(MON + 2 * H);
    for (const at of [2 * H, 3 * H, 3.6 * H, 4 * H, 4 * H + 1, 9 * H]) {
      d.clock.set(MON + at);
      await d.sla.sweeper.sweep();
    }
    expect(pings(d.db, t.id)).toEqual([
      'first_response:0.5=sent',
      'first_response:0.75=sent',
      'first_response:0.9=sent',
      'first_response:1=sent',
      'resolution:0.5=sent',
      'resolution:0.75=sent',
      'resolution:0.9=sent',
      'resolution:1=sent',
    ]);
    expect(outboxRows(d.db, 'sla:').length).toBe(12);
    expect(nextCheck(d.db, t.id)).toBeNull();
    expect(events(d, t.id, ['sla_warned', 'sla_breached']).map((e) => `${e.type}:${e.data.clock}:${e.data.threshold}`)).toEqual([
      'sla_warned:first_response:0.5',
      'sla_warned:first_response:0.75',
      'sla_warned:first_response:0.9',
      'sla_breached:first_response:1',
      'sla_warned:resolution:0.5',
      'sla_warned:resolution:0.75',
      'sla_warned:resolution:0.9',
      'sla_breached:resolution:1',
    ]);
  });

  it('pings the on-call person instead when the ticket has no owner, and the team when nobody is on call', async () => {
    const d = desk();
    const t = d.open('Login page hangs after entering the password', { priority: 'P0', owner: null });
    d.clock.set(MON + 54 * MIN);
    await d.sla.sweeper.sweep();
    const [post, dm] = outboxRows(d.db, `sla:${t.id}:first_response:0.9`);
    expect(viewText(viewOf(post!.payload))).toContain(`<@${ONCALL}>`);
    expect(viewText(viewOf(post!.payload))).toContain('no owner yet');
    expect(dm!.payload).toMatchObject({ kind: 'dm', userId: ONCALL });

    const e = desk({ config: { teams: [{ id: 'support', name: 'Support', members: [OWNER, AGENT2], routing: 'none' }] } });
    const u = e.open('Reports page shows a blank chart', { priority: 'P0', owner: null });
    e.clock.set(MON + 30 * MIN);
    await e.sla.sweeper.sweep();
    const text = viewText(viewOf(outboxRows(e.db, `sla:${u.id}:first_response:0.5`)[0]!.payload));
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain(`<@${AGENT2}>`);
  });

  it('pings on-call when the owner is away', async () => {
    const d = desk({ config: { away: [OWNER] } });
    const t = d.open('Exports time out for large accounts', { priority: 'P0', owner: OWNER });
    d.clock.set(MON + 30 * MIN);
    await d.sla.sweeper.sweep();
    const text = viewText(viewOf(outboxRows(d.db, `sla:${t.id}:`)[0]!.payload));
    expect(text).toContain(`<@${ONCALL}>`);
    expect(text).not.toContain(`<@${OWNER}>`);
    expect(text).toContain('owner is away');
  });

  it('records pings of terminal-only (cli) tickets on the timeline without queueing chat messages', async () => {
    const d = desk();
    const t = d.open('Invoice PDF has the wrong VAT number', { priority: 'P0', platform: 'cli' });
    d.clock.set(MON + 30 * MIN);
    expect((await d.sla.sweeper.sweep()).sent).toBe(1);
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=sent']);
    expect(outboxRows(d.db, 'sla:')).toEqual([]);
    expect(events(d, t.id, ['sla_warned']).length).toBe(1);
  });
});

describe('the drop-if-stale rule', () => {
  it('drops warnings overtaken by a later threshold (logged, recorded as dropped) and sends the latest', async () => {
    const d = desk();
    const t = d.open('Password reset emails never arrive', { priority: 'P0' });
    d.clock.set(MON + 55 * MIN);
    const s = await d.sla.sweeper.sweep();
    expect(s).toMatchObject({ sent: 1, dropped: 2 });
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=dropped', 'first_response:0.75=dropped', 'first_response:0.9=sent']);
    expect(outboxRows(d.db, 'sla:').map((r) => r.key)).toEqual([`sla:${t.id}:first_response:0.9`, `sla:${t.id}:first_response:0.9:dm:${OWNER}`]);
    // A ticket that has already breached gets no 50% warning, only the breach.
    const u = d.open('Mobile app crashes on start', { priority: 'P0' });
    d.clock.set(MON + 55 * MIN + 90 * MIN);
    await d.sla.sweeper.sweep();
    expect(pings(d.db, u.id)).toEqual(['first_response:0.5=dropped', 'first_response:0.75=dropped', 'first_response:0.9=dropped', 'first_response:1=sent']);
  });
});

describe('paused, resolved and closed tickets', () => {
  it('never pings while waiting on the customer; after resuming the resolution clock is shifted by the pause', async () => {
    const d = desk();
    const t = d.open('Cannot add a second admin to the account', { priority: 'P1' }); // FR 4h, resolution 24h
    d.clock.set(MON + 10 * MIN);
    d.core.tickets.recordReply({ platform: 'slack', channelId: CHANNEL, threadId: t.threadId!, messageId: 'r1', authorId: OWNER, text: 'Looking into it' });
    d.clock.set(MON + 1 * H);
    d.core.tickets.setStatus(t.key, 'waiting_on_customer', OWNER);
    expect(nextCheck(d.db, t.id)).toBeNull();
    d.clock.set(MON + 13 * H); // 50% of 24 h would have been at 12 h
    expect((await d.sla.sweeper.sweep()).sent).toBe(0);
    d.clock.set(MON + 20 * H);
    d.core.tickets.setStatus(t.key, 'in_progress', OWNER); // paused for 19 h
    expect(nextCheck(d.db, t.id)).toBe(MON + 31 * H);
    d.clock.set(MON + 31 * H - 1000);
    expect((await d.sla.sweeper.sweep()).sent).toBe(0);
    d.clock.set(MON + 31 * H);
    await d.sla.sweeper.sweep();
    expect(pings(d.db, t.id)).toEqual(['resolution:0.5=sent']);
  });

  it('a first-response breach reached during a pause is sent right after resuming (the warnings before it are dropped)', async () => {
    const d = desk();
    const t = d.open('Webhook signatures fail to verify', { priority: 'P0' });
    d.clock.set(MON + 10 * MIN);
    d.core.tickets.setStatus(t.key, 'waiting_on_customer', OWNER);
    d.clock.set(MON + 70 * MIN);
    await d.sla.sweeper.sweep();
    expect(pings(d.db, t.id)).toEqual([]);
    d.clock.set(MON + 80 * MIN);
    d.core.tickets.setStatus(t.key, 'in_progress', OWNER);
    expect(nextCheck(d.db, t.id)).toBe(MON + 80 * MIN);
    await d.sla.sweeper.sweep();
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=dropped', 'first_response:0.75=dropped', 'first_response:0.9=dropped', 'first_response:1=sent']);
  });

  it('stops for resolved and closed tickets', async () => {
    const d = desk();
    const a = d.open('Two-factor codes rejected', { priority: 'P0' });
    const b = d.open('SAML metadata upload fails', { priority: 'P0' });
    d.clock.set(MON + 20 * MIN);
    d.core.tickets.resolve(a.key, OWNER);
    d.core.tickets.setStatus(b.key, 'closed', OWNER);
    expect(nextCheck(d.db, a.id)).toBeNull();
    expect(nextCheck(d.db, b.id)).toBeNull();
    d.clock.set(MON + 10 * H);
    expect((await d.sla.sweeper.sweep()).due).toBe(0);
    expect(outboxRows(d.db, 'sla:')).toEqual([]);
  });
});

describe('snooze', () => {
  it('holds pings until the snooze ends, then sends only what still matters', async () => {
    const d = desk();
    const t = d.open('Billing page shows another customer name', { priority: 'P0' });
    d.clock.set(MON + 20 * MIN);
    d.core.tickets.snooze(t.key, MON + 80 * MIN, OWNER);
    d.clock.set(MON + 35 * MIN);
    const s = await d.sla.sweeper.sweep();
    expect(s).toMatchObject({ due: 1, sent: 0, held: 1 });
    expect(nextCheck(d.db, t.id)).toBe(MON + 80 * MIN);
    d.clock.set(MON + 79 * MIN);
    expect((await d.sla.sweeper.sweep()).due).toBe(0);
    d.clock.set(MON + 80 * MIN);
    await d.sla.sweeper.sweep();
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=dropped', 'first_response:0.75=dropped', 'first_response:0.9=dropped', 'first_response:1=sent']);
  });
});

describe('escalation on breach', () => {
  it('mentions the next tier and the notify list and posts a prompt with Take it / Reassign / Snooze / Add note', async () => {
    const d = desk();
    const t = d.open('All API calls return 500', { priority: 'P0' });
    d.clock.set(MON + 61 * MIN);
    const s = await d.sla.sweeper.sweep();
    expect(s.escalated).toBe(1);
    const esc = d.sla.escalations.forTicket(t.id).find((e) => e.ruleId === 'breach:first_response')!;
    expect(esc).toMatchObject({ target: 'tier2', status: 'open' });
    const prompt = outboxRows(d.db, `esc:${t.id}:${esc.id}`)[0]!;
    expect(prompt.payload).toMatchObject({ kind: 'post', channelId: TRIAGE, internalThreadOfTicket: t.id });
    const text = viewText(viewOf(prompt.payload));
    expect(text).toContain(`<@${TIER2}>`);
    expect(text).toContain(`<@${LEAD}>`);
    expect(text).toContain('Expected to act within 15m');
    expect(actionsOf(viewOf(prompt.payload)).map((a) => `${a.actionId}:${a.label}`)).toEqual([
      'escalation.take:Take it',
      'escalation.reassign:Reassign…',
      'escalation.snooze:Snooze 30m',
      'escalation.snooze:Snooze 1h',
      'escalation.snooze:Snooze 2h',
      'escalation.note:Add note',
    ]);
    expect(events(d, t.id, ['escalated'])).toMatchObject([{ actor: 'system', data: { to: 'tier2' } }]);
    // The card is refreshed so it shows the breach.
    expect(outboxRows(d.db, `card-update:${t.id}:`).length).toBeGreaterThan(0);

    // The resolution breach later goes one tier up.
    d.clock.set(MON + 4 * H);
    await d.sla.sweeper.sweep();
    const second = d.sla.escalations.forTicket(t.id).find((e) => e.ruleId === 'breach:resolution')!;
    expect(second.target).toBe('tier3');
    expect(viewText(viewOf(outboxRows(d.db, `esc:${t.id}:${second.id}`)[0]!.payload))).toContain(`<@${TIER3}>`);
  });
});

describe('reliability of the sweep', () => {
  it('one bad ticket does not stop a sweep', async () => {
    const d = desk();
    const a = d.open('Search returns nothing for any query', { priority: 'P0' });
    const b = d.open('Dashboard widgets fail to load', { priority: 'P0' });
    d.db.prepare("UPDATE tickets SET sla = 'not json' WHERE id = ?").run(a.id);
    d.clock.set(MON + 30 * MIN);
    const s = await d.sla.sweeper.sweep();
    expect(s).toMatchObject({ due: 2, errors: 1, sent: 1 });
    expect(pings(d.db, b.id)).toEqual(['first_response:0.5=sent']);
    expect(nextCheck(d.db, a.id)).toBe(MON + 30 * MIN); // still due: retried next sweep
  });

  it('a crash inside a ticket rolls back its ping record with its outbox rows; the next sweep sends it exactly once', async () => {
    const d = desk();
    const a = d.open('Uploads fail with a timeout', { priority: 'P0' });
    const b = d.open('Customer portal shows 404', { priority: 'P0' });
    d.db.exec(
      `CREATE TEMP TRIGGER crash BEFORE INSERT ON outbox WHEN NEW.ticket_id = ${a.id} AND NEW.idempotency_key LIKE 'sla:%' BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`,
    );
    d.clock.set(MON + 30 * MIN);
    expect((await d.sla.sweeper.sweep()).errors).toBe(1);
    expect(pings(d.db, a.id)).toEqual([]);
    expect(pings(d.db, b.id)).toEqual(['first_response:0.5=sent']);
    d.db.exec('DROP TRIGGER crash');
    await d.sla.sweeper.sweep();
    await d.sla.sweeper.sweep();
    expect(pings(d.db, a.id)).toEqual(['first_response:0.5=sent']);
    expect(outboxRows(d.db, `sla:${a.id}:`).length).toBe(1);
    expect(outboxRows(d.db, `sla:${b.id}:`).length).toBe(1);
  });

  it('a restart mid-sweep loses nothing and sends nothing twice', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const path = `${tmp.dir}/desk.db`;
    const first = makeDesk({ dbPath: path, batchSize: 2 });
    const ids = ['Refunds stuck in pending', 'Emails bounce for gmail users', 'Invoices missing line items', 'Timezone wrong in reports', 'Sync job stuck at 99%'].map(
      (text) => first.open(text, { priority: 'P0' }).id,
    );
    first.clock.set(MON + 30 * MIN);
    const partial = await first.sla.sweeper.sweep({ limit: 2 });
    expect(partial.processed).toBe(2);
    await first.close(); // the process stops here

    const second = desk({ dbPath: path, start: MON + 31 * MIN });
    const rest = await second.sla.sweeper.sweep();
    expect(rest.sent).toBe(3);
    await second.sla.sweeper.sweep();
    for (const id of ids) {
      expect(pings(second.db, id)).toEqual(['first_response:0.5=sent']);
      expect(outboxRows(second.db, `sla:${id}:`).length).toBe(1);
    }
  });

  it('two sweeps at once (two processes on one database) send each ping once', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const path = `${tmp.dir}/desk.db`;
    const a = desk({ dbPath: path, batchSize: 1 });
    const b = desk({ dbPath: path, batchSize: 1 });
    const ids = Array.from({ length: 8 }, (_, i) => a.open(`Synthetic outage report number ${i} for region ${i}`, { priority: 'P0' }).id);
    a.clock.set(MON + 55 * MIN);
    b.clock.set(MON + 55 * MIN);
    const [sa, sb] = await Promise.all([a.sla.sweeper.sweep(), b.sla.sweeper.sweep()]);
    expect(sa.sent + sb.sent).toBe(8);
    expect(sa.sent).toBeGreaterThan(0);
    expect(sb.sent).toBeGreaterThan(0);
    for (const id of ids) {
      expect(pings(a.db, id)).toEqual(['first_response:0.5=dropped', 'first_response:0.75=dropped', 'first_response:0.9=sent']);
      expect(outboxRows(a.db, `sla:${id}:`).map((r) => r.kind)).toEqual(['post', 'dm']);
    }
    // A sweep that listed a ticket before the other processed it holds off.
    const stats = { due: 0, processed: 0, sent: 0, dms: 0, dropped: 0, escalated: 0, held: 0, errors: 0, unassignedPrompts: 0 };
    b.db.transaction(() => b.sla.sweeper.processTicket(ids[0]!, b.clock.now(), stats))();
    expect(stats).toMatchObject({ held: 1, sent: 0 });
    expect(outboxRows(a.db, `sla:${ids[0]}:`).length).toBe(2);
  });
});
