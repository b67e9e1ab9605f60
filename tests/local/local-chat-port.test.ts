/**
 * The shared ChatPort contract against LocalChatPort (the "platform" is the playground's
 * tables in a real SQLite database; what crossed the wire is read from its writes and the
 * rendered HTML), plus the playground specifics: who sees ephemerals and DMs, threads,
 * in-place updates, persistence and the outbox retrying through the fault hook.
 */
import { storeOnDatabase } from '../../src/store/kysely/open-store.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppDatabase } from '../../adapters/compose.js';
import { LocalChatPort, LocalFaults } from '../../adapters/local/local-chat-port.js';
import { renderMessageView } from '../../adapters/local/render-html.js';
import { type LocalMessage, PlaygroundStore, dmChannelId } from '../../adapters/local/playground-store.js';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { Db } from '../../src/store/db.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { type ContractHarness, chatPortContract, type WireOp } from '../contract/chat-port-contract.js';
import { T0, tempDir, textOf } from './playground-harness.js';

const ctx = { nameOf: (id: string) => id };

function flatten(m: LocalMessage): string {
  return `${m.text}\n${m.view ? textOf(renderMessageView(m.view, ctx)) : m.text}`;
}

async function makeHarness(): Promise<ContractHarness & { store: PlaygroundStore; db: Db }> {
  const db = openAppDatabase(':memory:');
  const store = new PlaygroundStore(db);
  const faults = new LocalFaults();
  const port = new LocalChatPort({ store, clock: new ManualClock(T0, 0), faults });
  const ops: WireOp[] = [];
  store.onWrite((w) => {
    if (w.op === 'form') ops.push({ op: 'form', userId: w.form.userId, text: `${w.form.form.title} ${w.form.form.fields.map((f) => f.label).join(' ')}` });
    else if (w.op === 'post') ops.push({ op: 'post', channelId: w.message.channelId, threadId: w.message.threadId, messageId: w.message.id, text: flatten(w.message) });
    else if (w.op === 'update') ops.push({ op: 'update', channelId: w.message.channelId, messageId: w.message.id, text: flatten(w.message) });
    else if (w.op === 'ephemeral' || w.op === 'dm')
      ops.push({ op: w.op, channelId: w.message.channelId, threadId: w.message.threadId, userId: w.message.visibleTo ?? undefined, messageId: w.message.id, text: flatten(w.message) });
  });
  return {
    port,
    store,
    db,
    channelId: 'support',
    userId: 'dana',
    trigger: 'trg-contract',
    recorded: () => ops,
    failNext: (kind, retryAfterSec) => faults.failNext(kind, retryAfterSec),
    close: async () => {
      db.close();
    },
  };
}

chatPortContract('local', makeHarness);

const view = (text: string): MessageView => ({ text, blocks: [{ type: 'text', text: `**${text}**` }] });

describe('LocalChatPort specifics', () => {
  let h: Awaited<ReturnType<typeof makeHarness>>;
  afterEach(async () => {
    await h.close();
  });

  it('shows an ephemeral only to its person, in the thread it was meant for', async () => {
    h = await makeHarness();
    const parent = h.store.postHuman({ channelId: 'support', authorId: 'alex', text: 'help', at: T0 });
    await h.port.postEphemeral({ channelId: 'support', userId: 'dana', threadId: parent.id, view: view('just for dana') });
    const forDana = h.store.messagesFor('support', 'dana');
    const forAlex = h.store.messagesFor('support', 'alex');
    expect(forDana.map((m) => m.text)).toEqual(['help', 'just for dana']);
    expect(forDana[1]).toMatchObject({ kind: 'ephemeral', visibleTo: 'dana', threadId: parent.id, isBot: true });
    expect(forAlex.map((m) => m.text)).toEqual(['help']);
  });

  it('puts DMs in the person’s own DM channel, which only they can list', async () => {
    h = await makeHarness();
    const res = await h.port.dm({ userId: 'sam', view: view('your SLA ping') });
    expect(res.channelId).toBe(dmChannelId('sam'));
    expect(h.store.channels('sam').map((c) => c.id)).toContain('dm:sam');
    expect(h.store.channels('dana').map((c) => c.id)).not.toContain('dm:sam');
    expect(h.store.messagesFor('dm:sam', 'sam').map((m) => m.text)).toEqual(['your SLA ping']);
    expect(h.store.messagesFor('dm:sam', 'dana')).toEqual([]);
  });

  it('keeps replies to a reply in the same thread, and refuses threads from another channel', async () => {
    h = await makeHarness();
    const root = await h.port.post({ channelId: 'support', view: view('root') });
    const reply = await h.port.post({ channelId: 'support', threadId: root.messageId, view: view('reply') });
    const nested = await h.port.post({ channelId: 'support', threadId: reply.messageId, view: view('nested') });
    expect(h.store.get(nested.messageId)?.threadId).toBe(root.messageId);
    const err = await h.port.post({ channelId: 'other', threadId: root.messageId, view: view('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatDeliveryError);
    expect((err as ChatDeliveryError).retryable).toBe(false);
  });

  it('updates in place: same id, new content, edit time, newer revision', async () => {
    h = await makeHarness();
    const res = await h.port.post({ channelId: 'support', view: view('v1') });
    const before = h.store.get(res.messageId)!;
    await h.port.update({ channelId: 'support', messageId: res.messageId, view: view('v2') });
    const after = h.store.get(res.messageId)!;
    expect(after.view).toEqual(view('v2'));
    expect(after.editedAt).toBe(T0);
    expect(after.rev).toBeGreaterThan(before.rev);
    expect(h.store.allMessages('support')).toHaveLength(1);
  });

  it('refuses to update what does not exist or what a person wrote, as permanent failures', async () => {
    h = await makeHarness();
    const human = h.store.postHuman({ channelId: 'support', authorId: 'alex', text: 'mine', at: T0 });
    for (const messageId of ['m999', 'nonsense', human.id]) {
      const err = await h.port.update({ channelId: 'support', messageId, view: view('x') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChatDeliveryError);
      expect((err as ChatDeliveryError).retryable).toBe(false);
    }
    expect(h.store.get(human.id)?.text).toBe('mine');
  });

  it('reports writes after a revision, including those of another connection to the same file', async () => {
    const tmp = tempDir();
    const path = `${tmp.dir}/pg.db`;
    const a = openAppDatabase(path);
    const b = openAppDatabase(path);
    try {
      const storeA = new PlaygroundStore(a);
      const storeB = new PlaygroundStore(b);
      const start = storeA.currentRev();
      storeB.postHuman({ channelId: 'support', authorId: 'alex', text: 'from the demo process', at: T0 });
      const changed = storeA.changedSince(start);
      expect(changed.messages.map((m) => m.text)).toEqual(['from the demo process']);
      expect(storeA.changedSince(changed.rev).messages).toEqual([]);
    } finally {
      a.close();
      b.close();
      tmp.cleanup();
    }
    h = await makeHarness();
  });

  it('lets the outbox retry a delivery that failed through the fault hook, and sends it once', async () => {
    h = await makeHarness();
    const faults = new LocalFaults();
    const port = new LocalChatPort({ store: h.store, clock: new ManualClock(T0, 0), faults });
    const timer = new ManualClock(T0, 0);
    const outbox = new Outbox(h.db, storeOnDatabase(h.db), { timer, random: () => 1 });
    outbox.registerPort(port);
    faults.failNext('rate_limit', 3);
    outbox.enqueue({ platform: 'local', payload: { kind: 'post', channelId: 'support', view: view('eventually') }, idempotencyKey: 'k1' });
    expect(await outbox.drain()).toMatchObject({ sent: 0, retried: 1 });
    expect(h.store.allMessages('support')).toHaveLength(0);
    timer.advance(3000);
    expect(await outbox.drain()).toMatchObject({ sent: 1 });
    expect(h.store.allMessages('support').map((m) => m.text)).toEqual(['eventually']);
    outbox.stop();
  });
});
