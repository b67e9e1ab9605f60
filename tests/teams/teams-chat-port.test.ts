/**
 * The shared ChatPort contract against TeamsChatPort — the real botbuilder CloudAdapter talking
 * to the fake Bot Connector — plus Teams specifics: reply-chain addressing, updates in a chain,
 * personal chats created once and kept in SQLite across restarts, mention entities, error
 * mapping (429 with Retry-After, 412/502/504, 4xx) without retries inside the port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../../adapters/teams/index.js';
import { createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { type ContractHarness, chatPortContract, type WireOp } from '../contract/chat-port-contract.js';
import { type ConnectorRequest, type FakeConnector, startFakeConnector } from '../fakes/fake-connector.js';
import { AGENT, BOT, CHANNEL, CUSTOMER, cardOf, cardProblems, flatText, type Harness, nextId, startHarness, T0, TEAM, TENANT } from './support.js';

/** The Teams app was added to the team by `who`: Teams tells the bot with a conversationUpdate. */
function installActivity(fake: FakeConnector, who: { id: string; aadObjectId: string; name: string }): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: nextId(),
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: who.id, aadObjectId: who.aadObjectId, name: who.name },
    recipient: BOT,
    conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    membersAdded: [{ id: BOT.id }],
    channelData: { tenant: { id: TENANT }, team: { id: TEAM }, eventType: 'teamMemberAdded' },
  };
}

/** Normalise what the fake connector saw into the contract's vocabulary. */
function toWireOps(h: Harness, coreIdOfTeamsId: (id: string) => string): WireOp[] {
  const out: WireOp[] = [];
  for (const r of h.fake.requests) {
    if (r.status >= 300 || !r.conversationId) continue;
    const [base, root] = r.conversationId.split(';messageid=') as [string, string | undefined];
    const text = `${r.body?.text ?? ''}\n${flatText(cardOf(r))}`;
    const personal = h.fake.createdConversations.get(base);
    if (r.kind === 'update') out.push({ op: 'update', channelId: base, messageId: r.activityId, text });
    else if ((r.kind === 'send' || r.kind === 'reply') && personal) {
      const isForm = JSON.stringify(cardOf(r) ?? {}).includes('"Input.');
      out.push({ op: isForm ? 'form' : 'dm', channelId: base, userId: coreIdOfTeamsId(personal[0] ?? ''), text });
    } else if (r.kind === 'send' || r.kind === 'reply') out.push({ op: 'post', channelId: base, threadId: root ?? (r.kind === 'reply' ? r.activityId : null) ?? null, text });
  }
  return out;
}

async function makeHarness(): Promise<ContractHarness & { h: Harness }> {
  const h = await startHarness();
  await h.send(installActivity(h.fake, CUSTOMER));
  await h.flush();
  h.fake.clear();
  return {
    h,
    port: h.teams.port,
    channelId: CHANNEL,
    userId: CUSTOMER.aadObjectId,
    trigger: 'invoke-activity-id',
    recorded: () => toWireOps(h, (id) => (id === CUSTOMER.id ? CUSTOMER.aadObjectId : id)),
    failNext(kind, retryAfterSec) {
      if (kind === 'rate_limit') h.fake.failNext(429, { retryAfterSec: retryAfterSec ?? 1 });
      else if (kind === 'server_error') h.fake.failNext(500);
      else h.fake.failNext(403);
    },
    close: () => h.close(),
  };
}

chatPortContract('teams', () => makeHarness());

describe('TeamsChatPort specifics', () => {
  let x: Awaited<ReturnType<typeof makeHarness>>;
  afterEach(async () => {
    await x?.close();
  });

  it('posts a thread reply into the reply chain: conversation "<channel>;messageid=<root>" and replyToId = root', async () => {
    x = await makeHarness();
    const res = await x.port.post({ channelId: CHANNEL, threadId: '1650000000999', view: { text: 'hi', blocks: [{ type: 'text', text: 'in the chain' }] } });
    const r = x.h.fake.requests.at(-1)!;
    expect(r.kind).toBe('reply');
    expect(r.conversationId).toBe(`${CHANNEL};messageid=1650000000999`);
    expect(r.activityId).toBe('1650000000999');
    expect(r.body.replyToId).toBe('1650000000999');
    expect(r.body.from.id).toBe(BOT.id);
    expect(res).toEqual({ messageId: r.returnedId, channelId: CHANNEL });
  });

  it('starts a new post in the channel when there is no thread, and updates a chain reply in its chain', async () => {
    x = await makeHarness();
    const top = await x.port.post({ channelId: CHANNEL, view: { text: 'top', blocks: [{ type: 'header', text: 'top' }] } });
    expect(x.h.fake.requests.at(-1)).toMatchObject({ kind: 'send', conversationId: CHANNEL });
    expect(x.h.fake.requests.at(-1)!.body.replyToId).toBeUndefined();
    const inChain = await x.port.post({ channelId: CHANNEL, threadId: top.messageId, view: { text: 'r', blocks: [{ type: 'header', text: 'reply' }] } });
    await x.port.update({ channelId: CHANNEL, messageId: inChain.messageId, view: { text: 'r2', blocks: [{ type: 'header', text: 'reply v2' }] } });
    const upd = x.h.fake.requests.at(-1)!;
    expect(upd).toMatchObject({ kind: 'update', method: 'PUT', conversationId: `${CHANNEL};messageid=${top.messageId}`, activityId: inChain.messageId });
    expect(flatText(cardOf(upd))).toContain('reply v2');
  });

  it('renders mentions as <at>Name</at> with a Teams mention entity naming the Teams user id', async () => {
    x = await makeHarness();
    await x.h.send(installActivity(x.h.fake, AGENT));
    await x.port.post({ channelId: CHANNEL, threadId: '1650000000999', view: { text: 'x', blocks: [{ type: 'text', text: `<@${AGENT.aadObjectId}> took T-1001.` }] } });
    const r = x.h.fake.requests.at(-1)!;
    expect(r.body.text).toBe('<at>Dana Agent</at> took T-1001.');
    expect(r.body.entities).toEqual([{ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: AGENT.id, name: 'Dana Agent' } }]);
    expect(r.body.attachments).toBeUndefined();
  });

  it('puts card mentions in msteams.entities inside the card', async () => {
    x = await makeHarness();
    await x.h.send(installActivity(x.h.fake, AGENT));
    await x.port.post({
      channelId: CHANNEL,
      view: { text: 'x', blocks: [{ type: 'header', text: 'Owner' }, { type: 'fields', fields: [{ label: 'Owner', value: `<@${AGENT.aadObjectId}>` }] }] },
    });
    const card = cardOf(x.h.fake.requests.at(-1));
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: AGENT.id, name: 'Dana Agent' } }]);
    expect(flatText(card)).toContain('<at>Dana Agent</at>');
    expect(cardProblems(card)).toEqual([]);
  });

  it('opens the personal chat once and reuses the stored reference', async () => {
    x = await makeHarness();
    await x.port.dm({ userId: CUSTOMER.aadObjectId, view: { text: 'one', blocks: [{ type: 'text', text: 'one' }] } });
    await x.port.dm({ userId: CUSTOMER.aadObjectId, view: { text: 'two', blocks: [{ type: 'text', text: 'two' }] } });
    const creates = x.h.fake.requests.filter((r) => r.kind === 'create_conversation');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ isGroup: false, bot: { id: BOT.id }, members: [{ id: CUSTOMER.id }], tenantId: TENANT, channelData: { tenant: { id: TENANT } } });
    const sends = x.h.fake.requests.filter((r) => r.kind === 'send');
    expect(sends.map((r) => r.conversationId)).toEqual([creates[0]!.returnedId, creates[0]!.returnedId]);
  });

  it('maps 429 with Retry-After, 412, 502, 504 to retryable and 400/403/404 to final errors — one request each, no retries inside', async () => {
    x = await makeHarness();
    const view = { text: 'x', blocks: [{ type: 'text' as const, text: 'x' }] };
    const cases: [number, boolean, number | undefined][] = [
      [429, true, 3000],
      [412, true, undefined],
      [502, true, undefined],
      [504, true, undefined],
      [503, true, undefined],
      [400, false, undefined],
      [403, false, undefined],
      [404, false, undefined],
    ];
    for (const [status, retryable, after] of cases) {
      const before = x.h.fake.requests.length;
      x.h.fake.failNext(status, status === 429 ? { retryAfterSec: 3 } : {});
      const err = (await x.port.post({ channelId: CHANNEL, view }).catch((e: unknown) => e)) as ChatDeliveryError;
      expect(err, `HTTP ${status}`).toBeInstanceOf(ChatDeliveryError);
      expect(err.retryable, `HTTP ${status}`).toBe(retryable);
      expect(err.retryAfterMs, `HTTP ${status}`).toBe(after);
      expect(x.h.fake.requests.length - before, `HTTP ${status}: requests sent`).toBe(1);
    }
  });

  it('falls back to a brief note in the thread (without the content) when the personal chat cannot be opened', async () => {
    x = await makeHarness();
    x.h.fake.failNext(403); // creating the 1:1 chat is refused (app not installed for the user)
    await x.port.postEphemeral({ channelId: CHANNEL, userId: CUSTOMER.aadObjectId, threadId: '1650000000999', view: { text: 'secret', blocks: [{ type: 'text', text: 'secret list' }] } });
    const r = x.h.fake.requests.at(-1)!;
    expect(r.conversationId).toBe(`${CHANNEL};messageid=1650000000999`);
    expect(r.body.text).toContain('<at>Carol Customer</at>');
    expect(r.body.text).toContain('could not send you the answer privately');
    expect(JSON.stringify(r.body)).not.toContain('secret list');
  });

  it('reaches a channel it has not heard from (e.g. a digest channel) through the known service URL and tenant', async () => {
    x = await makeHarness();
    await x.port.post({ channelId: '19:leads@thread.tacv2', view: { text: 'digest', blocks: [{ type: 'header', text: 'Digest' }] } });
    const r = x.h.fake.requests.at(-1)!;
    expect(r).toMatchObject({ kind: 'send', conversationId: '19:leads@thread.tacv2' });
    expect(r.body.conversation).toMatchObject({ id: '19:leads@thread.tacv2', conversationType: 'channel', tenantId: TENANT });
  });

  it('reports a missing conversation reference as retryable (it arrives when the app is installed)', async () => {
    const h = await startHarness();
    try {
      const err = (await h.teams.port.post({ channelId: CHANNEL, view: { text: 'x', blocks: [] } }).catch((e: unknown) => e)) as ChatDeliveryError;
      expect(err).toBeInstanceOf(ChatDeliveryError);
      expect(err.retryable).toBe(true);
      expect(err.message).toMatch(/No Teams conversation reference/);
      expect(h.fake.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

describe('conversation references survive a restart (SQLite, not memory)', () => {
  let dir: string;
  let fake: FakeConnector;
  afterEach(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a new process on the same database file reaches the channel and the personal chat without any new inbound activity', async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-teams-'));
    const dbPath = join(dir, 'frontdesk.db');
    fake = await startFakeConnector();
    const env = { FRONTDESK_TEAMS_INSECURE_LOCAL: '1' };
    const boot = () => {
      const core = createCore({ config: parseConfig({}), db: openDatabase(dbPath), clock: new ManualClock(T0), env, logger: createLogger({ LOG_LEVEL: 'silent' }) });
      return { core, teams: createTeamsAdapter(core, env) };
    };
    const first = boot();
    const { port } = await first.core.listen(0, '127.0.0.1');
    await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(installActivity(fake, CUSTOMER)) });
    await first.teams.port.dm({ userId: CUSTOMER.aadObjectId, view: { text: 'hello', blocks: [{ type: 'text', text: 'hello' }] } });
    await first.core.close();

    const second = boot();
    try {
      await second.teams.port.post({ channelId: CHANNEL, view: { text: 'after restart', blocks: [{ type: 'header', text: 'after restart' }] } });
      await second.teams.port.dm({ userId: CUSTOMER.aadObjectId, view: { text: 'again', blocks: [{ type: 'text', text: 'again' }] } });
    } finally {
      await second.core.close();
    }
    const sends = fake.requests.filter((r: ConnectorRequest) => r.kind === 'send');
    expect(sends.map((r) => r.conversationId)).toEqual([fake.createdConversations.keys().next().value, CHANNEL, fake.createdConversations.keys().next().value]);
    expect(fake.requests.filter((r) => r.kind === 'create_conversation')).toHaveLength(1);
  });
});
