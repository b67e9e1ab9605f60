/**
 * Durable Teams turns through the real CloudAdapter: a message activity is in the inbox when
 * the 200 arrives, a re-delivery (same id) is answered without running again, a row a crash
 * left pending is handled at the next start, and a re-delivered Action.Execute invoke gets
 * the stored answer without the action running twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { AGENT, CHANNEL, CUSTOMER, channelMessage, executeInvoke, type Harness, startHarness } from './support.js';

const open: Harness[] = [];
let dir: string | null = null;
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h);
  return h;
}

const rows = (h: Harness) => h.core.db.prepare<[], { delivery_id: string; status: string }>("SELECT delivery_id, status FROM inbox WHERE platform = 'teams' ORDER BY id").all();

describe('durable Teams turns', () => {
  it('stores a message activity before answering; a re-delivery is answered without a second ticket', async () => {
    const h = await harness();
    const msg = channelMessage(h.fake, CUSTOMER, 'The VPN drops every ten minutes since Monday');
    expect((await h.send(msg)).status).toBe(200);
    expect(rows(h)).toEqual([{ delivery_id: `message:${(msg.conversation as { id: string }).id}:${msg.id}`, status: 'done' }]);
    expect((await h.send(msg)).status).toBe(200);
    expect(rows(h)).toHaveLength(1);
    expect(h.core.tickets.repo.list({ limit: 10 })).toHaveLength(1);
  });

  it('handles at start-up an activity a crash left stored but unhandled', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-teams-inbox-'));
    const dbPath = join(dir, 'fd.db');
    const first = await harness({ dbPath });
    const msg = channelMessage(first.fake, CUSTOMER, 'Printers in building B print blank pages');
    await first.close();
    open.splice(0);
    const db = openDatabase(dbPath);
    new InboxRepo(db).insertMany([{ platform: 'teams', deliveryId: `message:${CHANNEL}:${msg.id}`, payload: JSON.stringify(msg), receivedAt: Date.now() }]);
    db.close();

    const second = await harness({ dbPath });
    const deadline = Date.now() + 5000;
    while (!second.core.tickets.repo.findBySource('teams', CHANNEL, msg.id as string) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(second.core.tickets.repo.findBySource('teams', CHANNEL, msg.id as string)?.title).toBe('Printers in building B print blank pages');
    while (rows(second)[0]?.status !== 'done' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(rows(second)[0]?.status).toBe('done');
  });

  it('answers a re-delivered Action.Execute invoke with the stored result and runs the action once', async () => {
    const h = await harness();
    let runs = 0;
    h.core.interactions.onAction('test.count', () => {
      runs += 1;
      return {};
    });
    const invoke = executeInvoke(h.fake, AGENT, { conversationId: CHANNEL, conversationType: 'channel', cardMessageId: '1650000000999' }, { verb: 'test', data: { fd: 'action', actionId: 'test.count', value: 'x' } });
    const first = await h.send(invoke);
    expect(first.status).toBe(200);
    const again = await h.send(invoke);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(runs).toBe(1);
  });
});
