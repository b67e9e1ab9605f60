/**
 * The offline draft says only what is true (issue 11, item 8): "We have raised this with the
 * on-call team" only after someone really escalated the ticket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { AGENT1, makeAiCore, openTicket } from './helpers.js';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

const CLAIM = /raised this with the on-call team/i;

describe('offline draft wording follows the ticket state', () => {
  it('does not claim an escalation nobody made, and says it once the ticket is escalated', async () => {
    const made = makeAiCore();
    core = made.core;
    const f = made.features;
    const t = openTicket(core, 'The whole app is down for everyone, outage since 09:00, nothing loads');
    await f.idle();
    expect(core.tickets.require(t.id).category).toBe('outage');
    const first = f.repo.latestDraft(t.id)!;
    expect(first.text).not.toMatch(CLAIM);
    expect(first.text).toMatch(/looking into this now/i);

    core.tickets.escalate(t.key, AGENT1, { id: 'oncall', name: 'On-call', members: [AGENT1] }, 'site down');
    const again = await f.draft(t.key, AGENT1);
    expect(again!.text).toMatch(CLAIM);
  });
});
