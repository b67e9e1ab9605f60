/**
 * Socket Mode round trip: the real Bolt SocketModeReceiver opens a connection with
 * apps.connections.open (app token) against the fake Slack, receives envelopes over a local
 * WebSocket, acknowledges them by envelope_id and acts on them like HTTP mode does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockText } from '../fakes/fake-slack.js';
import { blockAction, CHANNEL, envelope, type Harness, message, nextTs, post, startHarness, until, closeAll } from './support.js';

let h: Harness;
afterEach(closeAll);

describe('Slack Socket Mode', () => {
  it('connects with the app token, acks envelopes and handles events, commands and actions', async () => {
    h = await startHarness({ env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' } });
    expect(h.slack.settings.mode).toBe('socket');
    await h.fake.waitForSocket();
    const open = h.fake.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe('xapp-1-test');

    const ts = nextTs();
    const ack = await h.fake.sendEnvelope('events_api', envelope(message({ ts, text: 'Our SAML login loops back to the start page' })));
    expect(ack.envelope_id).toMatch(/^env-/);
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');
    expect(card.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(card.token).toBe('xoxb-test-token');
    const t = await until(() => {
      const x = h.core.tickets.repo.findBySource('slack', CHANNEL, ts);
      return x?.cardMessageId ? x : null;
    }, 'card stored');

    const cmdAck = await h.fake.sendEnvelope('slash_commands', {
      command: '/ticket',
      text: `show ${t.key}`,
      user_id: 'U0AGENT',
      channel_id: CHANNEL,
      team_id: 'T0TEAM',
      response_url: h.fake.responseUrl('socket-cmd'),
      trigger_id: 'trigger.socket',
    });
    expect(cmdAck.envelope_id).toBeTruthy();
    const answer = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(blockText(answer.args.blocks)).toContain(t.key);

    await h.fake.sendEnvelope('interactive', blockAction(h, { actionId: 'ticket.acknowledge', value: t.key, messageTs: t.cardMessageId!, threadTs: ts }));
    await until(() => h.core.tickets.repo.get(t.id)!.status === 'acknowledged', 'acknowledged over Socket Mode');

    // No HTTP endpoint is mounted in Socket Mode.
    const res = await post(h.url, '{}', 'application/json');
    expect(res.status).toBe(404);
  });
});
