/** Webhook parsers never throw on bodies they do not expect: they return no events. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/ports/clock.js';
import { GithubWebhook } from '../../src/trackers/github.js';
import { JiraWebhook } from '../../src/trackers/jira.js';
import { LinearWebhook } from '../../src/trackers/linear.js';

const hooks = [new GithubWebhook(), new JiraWebhook('https://acme.atlassian.net'), new LinearWebhook(new ManualClock(0))];
const bodies: unknown[] = [
  null,
  'text',
  42,
  [],
  {},
  { action: 'closed', issue: {}, repository: { full_name: 'acme/app' } },
  { action: 'closed', issue: { number: '7' }, repository: {} },
  { webhookEvent: 'jira:issue_updated', issue: { key: 'not a key' }, changelog: { items: [{ field: 'status' }] } },
  { webhookEvent: 'comment_created', issue: { key: 'OPS-1' } },
  { type: 'Issue', action: 'update', data: {}, updatedFrom: { stateId: 'x' } },
  { type: 'Issue', action: 'update', data: { identifier: 'ENG-1' }, updatedFrom: 'stateId' },
  { type: 'Comment', action: 'create', data: { body: 'hi' } },
];

describe('webhook parsers on unexpected bodies', () => {
  for (const hook of hooks) {
    it(`${hook.kind}: no events, no exception, no delivery id invented from nothing`, () => {
      for (const body of bodies) {
        expect(hook.parse({ 'x-github-event': 'issues' }, body), JSON.stringify(body)).toEqual([]);
        expect(hook.deliveryId({}, body)).toBeNull();
      }
    });
  }

  it('linear: a correctly signed body that is not JSON is refused with a reason', () => {
    const raw = Buffer.from('not json');
    const sig = createHmac('sha256', 's').update(raw).digest('hex');
    expect(new LinearWebhook(new ManualClock(0)).verify({ 'linear-signature': sig }, raw, 's')).toBe('body is not JSON');
    const noTs = Buffer.from('{"type":"Issue"}');
    expect(new LinearWebhook(new ManualClock(0)).verify({ 'linear-signature': createHmac('sha256', 's').update(noTs).digest('hex') }, noTs, 's')).toBe('missing webhookTimestamp in the body');
  });
});
