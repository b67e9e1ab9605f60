/**
 * The shared ChatPort contract against SlackChatPort, driving the real @slack/web-api client
 * against the fake Slack server; plus Slack-specific error mapping (hang → timeout, ok:false
 * codes) and DM channel reuse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackClient, SlackChatPort } from '../../adapters/slack/slack-chat-port.js';
import { slackLogger } from '../../adapters/slack/slack-logger.js';
import { createLogger } from '../../src/logger.js';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import { type ContractHarness, chatPortContract, type WireOp } from '../contract/chat-port-contract.js';
import { blockText, FakeSlack, type SlackCall } from '../fakes/fake-slack.js';

function toWireOp(c: SlackCall): WireOp | null {
  const text = `${c.args.text ?? ''}\n${blockText(c.args.blocks ?? c.args.view?.blocks ?? [])}`;
  switch (c.method) {
    case 'chat.postMessage':
      return String(c.args.channel).startsWith('D')
        ? { op: 'dm', channelId: c.args.channel, userId: String(c.args.channel).slice(1), text }
        : { op: 'post', channelId: c.args.channel, threadId: c.args.thread_ts ?? null, text };
    case 'chat.update':
      return { op: 'update', channelId: c.args.channel, messageId: c.args.ts, text };
    case 'chat.postEphemeral':
      return { op: 'ephemeral', channelId: c.args.channel, userId: c.args.user, threadId: c.args.thread_ts ?? null, text };
    case 'views.open':
      return { op: 'form', text };
    default:
      return null;
  }
}

async function makeHarness(timeoutMs = 2000): Promise<ContractHarness & { fake: FakeSlack; slack: SlackChatPort }> {
  const fake = await FakeSlack.start();
  const port = new SlackChatPort(createSlackClient({ token: 'xoxb-test', apiUrl: fake.apiUrl, timeoutMs, logger: slackLogger(createLogger({ LOG_LEVEL: 'silent' })) }));
  return {
    fake,
    slack: port,
    port,
    channelId: 'C0SUPPORT',
    userId: 'U0ALICE',
    trigger: '1234.5678.trigger',
    recorded: () => fake.calls.filter((c) => c.outcome === 'ok').map(toWireOp).filter((o): o is WireOp => o !== null),
    failNext(kind, retryAfterSec) {
      if (kind === 'rate_limit') fake.failNext('*', { kind: 'rate_limited', retryAfterSec: retryAfterSec ?? 1 });
      else if (kind === 'server_error') fake.failNext('*', { kind: 'server_error', status: 500 });
      else fake.failNext('*', { kind: 'ok_false', error: 'channel_not_found' });
    },
    close: () => fake.close(),
  };
}

chatPortContract('slack', () => makeHarness());

describe('SlackChatPort specifics', () => {
  let h: Awaited<ReturnType<typeof makeHarness>>;
  afterEach(async () => {
    await h.close();
  });

  it('turns a hanging request into a retryable timeout', async () => {
    h = await makeHarness(300);
    h.fake.failNext('chat.postMessage', { kind: 'hang' });
    const err = await h.port.post({ channelId: 'C1', view: { text: 'x', blocks: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatDeliveryError);
    expect((err as ChatDeliveryError).retryable).toBe(true);
    expect((err as ChatDeliveryError).message).toMatch(/could not reach Slack/);
  });

  it('treats ok:false "ratelimited"/"internal_error" as retryable and "not_in_channel" as final', async () => {
    h = await makeHarness();
    h.fake.failNext('chat.update', { kind: 'ok_false', error: 'internal_error' });
    const a = (await h.port.update({ channelId: 'C1', messageId: '1.1', view: { text: 'x', blocks: [] } }).catch((e: unknown) => e)) as ChatDeliveryError;
    expect(a.retryable).toBe(true);
    h.fake.failNext('chat.update', { kind: 'ok_false', error: 'not_in_channel' });
    const b = (await h.port.update({ channelId: 'C1', messageId: '1.1', view: { text: 'x', blocks: [] } }).catch((e: unknown) => e)) as ChatDeliveryError;
    expect(b.retryable).toBe(false);
    expect(b.message).toContain('not_in_channel');
  });

  it('treats 503 as retryable and sends each call once (no retries inside the client)', async () => {
    h = await makeHarness();
    h.fake.failNext('chat.postMessage', { kind: 'server_error', status: 503 });
    const err = (await h.port.post({ channelId: 'C1', view: { text: 'x', blocks: [] } }).catch((e: unknown) => e)) as ChatDeliveryError;
    expect(err.retryable).toBe(true);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('opens a DM channel once per user and posts there, without unfurling links', async () => {
    h = await makeHarness();
    await h.port.dm({ userId: 'U0BOB', view: { text: 'one', blocks: [] } });
    await h.port.dm({ userId: 'U0BOB', view: { text: 'two', blocks: [] } });
    expect(h.fake.callsOf('conversations.open')).toHaveLength(1);
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts.map((p) => p.args.channel)).toEqual(['DU0BOB', 'DU0BOB']);
    expect(posts[0]!.args.unfurl_links).toBe('false');
    expect(posts[0]!.token).toBe('xoxb-test');
  });

  it('renders forms as modals with the state in private_metadata', async () => {
    h = await makeHarness();
    await h.slack.openForm({
      trigger: 'trig',
      userId: 'U1',
      channelId: 'C9',
      form: { formId: 'form.add_note', title: 'Add a note to the ticket please', submitLabel: 'Save', state: 'T-1', fields: [{ type: 'text', id: 'note', label: 'Note' }] },
    });
    const call = h.fake.callsOf('views.open')[0]!;
    expect(call.args.trigger_id).toBe('trig');
    expect(call.args.view.type).toBe('modal');
    expect(call.args.view.callback_id).toBe('form.add_note');
    expect(call.args.view.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(call.args.view.private_metadata)).toEqual({ s: 'T-1', c: 'C9' });
  });
});
