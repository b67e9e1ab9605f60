/**
 * Correctly signed but malformed requests (fuzz-style): every one gets a 4xx at once — never
 * a 500 (Slack would retry) and never Bolt's 3 s wait — with a reason, nothing is stored,
 * and a normal event afterwards still becomes a ticket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classifySlackRequest } from '../../adapters/slack/validate-payload.js';
import { AGENT, CHANNEL, closeAll, envelope, message, nextTs, post, sendEvent, startHarness, until } from './support.js';

afterEach(closeAll);

const JSON_CT = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const payload = (p: unknown) => form({ payload: typeof p === 'string' ? p : JSON.stringify(p) });
const user = { id: AGENT, username: 'agent', team_id: 'T0TEAM' };

/** Hand-written malformed bodies (the kinds the issue found), then generated mutations. */
function malformed(): [string, string][] {
  const msg = message({ text: 'a request' });
  const cases: [string, string][] = [
    ['{"type":"event_callback","event":null,"event_id":"EvX1"}', JSON_CT],
    [JSON.stringify(envelope({ ...msg, channel: null })), JSON_CT],
    [JSON.stringify(envelope({ ...msg, text: 42 })), JSON_CT],
    [JSON.stringify(envelope({ type: 'reaction_added', user: AGENT, reaction: 'eyes', item: null })), JSON_CT],
    [JSON.stringify({ ...envelope(msg), event_id: null }), JSON_CT],
    [JSON.stringify({ type: 'event_callback' }), JSON_CT],
    [JSON.stringify({ type: 'something_new' }), JSON_CT],
    ['{"type":"event_callback",', JSON_CT],
    ['null', JSON_CT],
    ['[1,2,3]', JSON_CT],
    ['', JSON_CT],
    ['not json at all', 'text/plain'],
    [payload('null'), FORM],
    [payload('{bad json'), FORM],
    [payload({ type: 'block_actions', actions: [{ type: 'button', action_id: 'ticket.assign_me', value: 'T-1' }] }), FORM],
    [payload({ type: 'block_actions', user, actions: [] }), FORM],
    [payload({ type: 'block_actions', user, actions: [null] }), FORM],
    [payload({ type: 'block_actions', user, actions: [{ type: 'button', action_id: 'x' }], channel: 'C1' }), FORM],
    [payload({ type: 'view_submission', user }), FORM],
    [payload({ type: 'view_submission', user, view: { id: 'V1', callback_id: 'form.x' } }), FORM],
    [payload({ type: 'view_submission', user, view: { id: 'V1', callback_id: 'other.x', state: { values: {} } } }), FORM],
    [payload({ type: 'message_action', user, callback_id: 'shortcut.create_ticket', trigger_id: 't' }), FORM],
    [payload({ type: 'message_action', user, callback_id: 'nope', trigger_id: 't', channel: { id: CHANNEL }, message: { ts: '1.1' } }), FORM],
    [payload({ type: 'totally_unknown', user }), FORM],
    [payload({ type: 42 }), FORM],
    [form({ command: '/other', user_id: AGENT, channel_id: CHANNEL, text: 'x' }), FORM],
    [form({ command: '/ticket', channel_id: CHANNEL, text: 'new x' }), FORM],
    [form({ text: 'no command' }), FORM],
  ];
  // Generated: a valid message event with each field replaced by a wrong type.
  const wrong: unknown[] = [null, 0, true, [], {}, ''];
  for (const field of ['event', 'event_id', 'type']) for (const w of wrong) cases.push([JSON.stringify({ ...envelope(msg), [field]: w }), JSON_CT]);
  for (const field of ['channel', 'ts', 'text', 'thread_ts', 'subtype', 'user', 'files', 'message']) {
    for (const w of wrong) {
      const body = { ...envelope({ ...msg, [field]: w }) };
      // Only shapes the validator must refuse (some wrong types are legitimate, e.g. an empty text is still a string).
      if (classifySlackRequest(JSON.stringify(body), JSON_CT, ['/ticket']).ok) continue;
      cases.push([JSON.stringify(body), JSON_CT]);
    }
  }
  for (const field of ['user', 'actions', 'view', 'container', 'message', 'channel']) for (const w of wrong) cases.push([payload({ type: 'block_actions', user, actions: [{ type: 'button', action_id: 'a.b' }], [field]: w }), FORM]);
  return cases.filter(([b, ct]) => !classifySlackRequest(b, ct, ['/ticket']).ok || b.includes('"block_actions"'));
}

describe('malformed signed requests', () => {
  it('answer 4xx at once (never 500), store nothing, and a normal event afterwards still works', async () => {
    const h = await startHarness();
    const cases = malformed();
    expect(cases.length).toBeGreaterThan(60);
    const statuses: number[] = [];
    for (const [body, ct] of cases) {
      const res = await post(h.url, body, ct);
      statuses.push(res.status);
      if (res.status >= 400 && res.status < 500 && res.text) expect(JSON.parse(res.text).message, body).toBeTruthy();
    }
    // Shapes that pass validation (a few generated block_actions) are valid: 200. Nothing is 5xx, none hangs.
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 200 && (s < 400 || s >= 500))).toEqual([]);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(55);
    expect(h.core.db.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: 0 });

    const ts = nextTs();
    expect((await sendEvent(h, message({ ts, text: 'After all that noise: checkout returns 502' }))).status).toBe(200);
    await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'the normal event became a ticket');
  });

  it('explains what is wrong', () => {
    expect(classifySlackRequest('{"type":"event_callback","event_id":"Ev1","event":null}', JSON_CT, [])).toEqual({ ok: false, reason: 'event_callback without an event object (event must be a JSON object)' });
    expect(classifySlackRequest(payload({ type: 'view_submission', user }), FORM, [])).toMatchObject({ ok: false, reason: expect.stringContaining('without a view') });
    expect(classifySlackRequest(payload({ type: 'mystery', user }), FORM, [])).toMatchObject({ ok: false, reason: 'unknown interactive payload type "mystery"' });
  });
});
