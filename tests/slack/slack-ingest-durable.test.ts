/**
 * Durable ingest and replay protection over the real Bolt app: an acknowledged event is in the
 * inbox before the 200 (shown by a run that acks but never processes, then a restart on the
 * same file that processes it); re-deliveries are acked without a second row or a second
 * ticket; replayed signed commands and button clicks are rejected and not acted twice, also
 * across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/fake-slack.js';
import { blockAction, CHANNEL, closeAll, envelope, type Harness, message, nextTs, post, sendCommand, sendEvent, settle, startHarness, until } from './support.js';

let dir: string | null = null;
let fake: FakeSlack | null = null;
afterEach(async () => {
  await closeAll();
  await fake?.close();
  fake = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const inboxRows = (h: Harness) => h.core.db.prepare<[], { delivery_id: string; status: string; retry_num: number }>("SELECT delivery_id, status, retry_num FROM inbox WHERE platform = 'slack' ORDER BY id").all();
const tickets = (h: Harness) => h.core.tickets.repo.list({ limit: 100 });

describe('durable ingest', () => {
  it('stores an event before acknowledging it; a crash after the ack loses nothing (processed at the next start)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-ingest-'));
    const dbPath = join(dir, 'fd.db');
    fake = await FakeSlack.start();
    const first = await startHarness({ dbPath, fake, processInbox: false });
    const ts = nextTs();
    const res = await sendEvent(first, message({ ts, text: 'Our invoices page shows a blank screen since this morning' }), { eventId: 'EvDURABLE1' });
    expect(res.status).toBe(200);
    // Acknowledged, and already committed: the row is there the moment the 200 arrived.
    expect(inboxRows(first)).toEqual([{ delivery_id: 'EvDURABLE1', status: 'pending', retry_num: 0 }]);
    await settle(first);
    expect(tickets(first)).toHaveLength(0);
    await first.close();

    const second = await startHarness({ dbPath, fake });
    const t = await until(() => second.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket from the recovered event');
    expect(t.title).toBe('Our invoices page shows a blank screen since this morning');
    await until(() => inboxRows(second)[0]?.status === 'done', 'row marked done');
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(tickets(second)).toHaveLength(1);
  });

  it('acks a re-delivered event (x-slack-retry-num, same event_id) with 200, without a second row or ticket', async () => {
    const h = await startHarness();
    const event = message({ text: 'The SSO callback fails with 403 for the whole org' });
    const body = JSON.stringify(envelope(event, 'EvRETRY1'));
    expect((await post(h.url, body, 'application/json')).status).toBe(200);
    expect((await post(h.url, body, 'application/json', { retryNum: 1, timestamp: Math.floor(Date.now() / 1000) + 1 })).status).toBe(200);
    expect((await post(h.url, body, 'application/json', { retryNum: 2, timestamp: Math.floor(Date.now() / 1000) + 2 })).status).toBe(200);
    await until(() => tickets(h).length === 1, 'the ticket');
    await settle(h);
    expect(inboxRows(h)).toEqual([{ delivery_id: 'EvRETRY1', status: 'done', retry_num: 0 }]);
    expect(tickets(h)).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === event.ts)).toHaveLength(1);
  });

  it('rejects an identical replay of a signed event with 409 and acts once', async () => {
    const h = await startHarness();
    const body = JSON.stringify(envelope(message({ text: 'Exports time out for the EU workspace' }), 'EvREPLAY1'));
    const ts = Math.floor(Date.now() / 1000);
    expect((await post(h.url, body, 'application/json', { timestamp: ts })).status).toBe(200);
    expect((await post(h.url, body, 'application/json', { timestamp: ts })).status).toBe(409);
    await until(() => tickets(h).length === 1, 'the ticket');
    await settle(h);
    expect(tickets(h)).toHaveLength(1);
  });
});

describe('replay protection for commands and actions', () => {
  it('a replayed /ticket new is rejected and creates one ticket, also after a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-replay-'));
    const dbPath = join(dir, 'fd.db');
    fake = await FakeSlack.start();
    const h = await startHarness({ dbPath, fake });
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: 'T0TEAM',
      channel_id: CHANNEL,
      user_id: 'U0AGENT',
      command: '/ticket',
      text: 'new Printer on floor 3 jams on every job',
      response_url: fake.responseUrl('cmd-replay'),
      trigger_id: 'trigger.replay.1',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const send = (x: Harness, o: { timestamp: number }) => post(x.url, form, 'application/x-www-form-urlencoded', o);
    expect((await send(h, { timestamp: ts })).status).toBe(200);
    await until(() => tickets(h).length === 1, 'the ticket');
    const again = await send(h, { timestamp: ts });
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text)).toMatchObject({ error: 'frontdesk_slack_request_replayed' });
    // The same command re-sent under a new signature (same trigger_id) is acked but not run again.
    expect((await send(h, { timestamp: ts + 1 })).status).toBe(200);
    await settle(h);
    expect(tickets(h)).toHaveLength(1);
    await h.close();

    const restarted = await startHarness({ dbPath, fake });
    expect((await send(restarted, { timestamp: ts })).status).toBe(409);
    expect((await send(restarted, { timestamp: ts + 2 })).status).toBe(200);
    await settle(restarted);
    expect(tickets(restarted)).toHaveLength(1);
  });

  it('a replayed button click is rejected and runs once', async () => {
    const h = await startHarness();
    let runs = 0;
    h.core.interactions.onAction('test.count', () => {
      runs += 1;
      return {};
    });
    const click = JSON.stringify(blockAction(h, { actionId: 'test.count', value: 'x', messageTs: nextTs() }));
    const body = new URLSearchParams({ payload: click }).toString();
    const at = Math.floor(Date.now() / 1000);
    expect((await post(h.url, body, 'application/x-www-form-urlencoded', { timestamp: at })).status).toBe(200);
    await until(() => runs === 1, 'the action ran');
    expect((await post(h.url, body, 'application/x-www-form-urlencoded', { timestamp: at })).status).toBe(409);
    // Delivered again under a new signature (same trigger_id and action_ts): acked, not run.
    expect((await post(h.url, body, 'application/x-www-form-urlencoded', { timestamp: at + 1 })).status).toBe(200);
    await settle(h);
    expect(runs).toBe(1);
  });

  it('a command with a fresh trigger_id still runs (only deliveries of the same request are dropped)', async () => {
    const h = await startHarness();
    expect((await sendCommand(h, 'new Laptop will not boot after update')).status).toBe(200);
    expect((await sendCommand(h, 'new Laptop will not boot after update')).status).toBe(200);
    await until(() => tickets(h).length === 2, 'two tickets from two separate commands');
  });
});
