/**
 * Drafts and plans never carry another customer's words (issue 12, item 5). An earlier ticket's
 * customer message and the agent's reply to that customer carry a unique marker and a name; the
 * earlier ticket is resolved with a note. A new customer's offline draft, the prompts sent to the
 * (fake) Anthropic API on the wire, and the handling plan may use what the team learned (the
 * resolution note, scrubbed) and the category, but never the marker, the name or an identifier.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AiFeatures } from '../../src/ai/install.js';
import type { Core } from '../../src/app.js';
import { FakeAnthropic, type RecordedRequest, reply } from '../fakes/fake-anthropic.js';
import { AGENT1, API_KEY, CHANNEL, makeAiCore, openTicket } from './helpers.js';

const MARKER = 'ZQX-MARKER-4417';
const SECRETS = [MARKER, 'Alex', 'northwind', 'finance team in Leeds', 'U_CUST_ALEX'];

let core: Core | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await core?.close();
  await fake?.close();
  core = undefined;
  fake = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: recorded bodies are untyped JSON
const toolOf = (r: RecordedRequest): string => (r.body as any)?.tool_choice?.name ?? '';

/** An earlier customer's ticket: their words and the agent's reply to them carry the marker and name. */
function earlierCase(c: Core): void {
  const old = c.tickets.open({
    platform: 'local',
    channelId: CHANNEL,
    sourceMessageId: 'alex-1',
    requesterId: 'U_CUST_ALEX',
    requesterName: 'Alex Kim',
    text: `CSV export stops at 10,000 rows for the finance team in Leeds, ref ${MARKER}. Alex Kim, alex.kim@northwind.test`,
  }).ticket!;
  c.tickets.recordReply({ platform: 'local', channelId: CHANNEL, threadId: old.threadId!, messageId: 'alex-2', authorId: AGENT1, text: `Hi Alex — we are on it (${MARKER}). I raised your export limit.` });
  c.tickets.resolve(old.key, AGENT1, 'Raised the export row limit under Settings → Exports for Alex Kim (alex.kim@northwind.test, <@U_CUST_ALEX>) and re-ran the export.');
}

function expectClean(text: string): void {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('drafts and plans never carry another customer\'s words', () => {
  it('offline: the draft and the plan use the resolution note only, scrubbed', async () => {
    const made = makeAiCore();
    core = made.core;
    const f: AiFeatures = made.features;
    earlierCase(core);
    await f.idle();
    const t = openTicket(core, 'Our CSV export stops at 10,000 rows again, the report is incomplete', { requesterName: 'Priya' });
    await f.idle();
    const d = f.repo.latestDraft(t.id)!;
    expect(d.text).toContain('Raised the export row limit under Settings → Exports');
    expectClean(d.text);
    const { plan } = await f.plan(t.key, AGENT1);
    expect(JSON.stringify(plan)).toContain('Raised the export row limit');
    expectClean(JSON.stringify(plan));
  });

  it('with Claude: nothing of the earlier customer is on the wire for the draft or any plan stage', async () => {
    fake = await FakeAnthropic.start();
    fake.otherwise((req) => {
      switch (toolOf(req)) {
        case 'record_triage':
          return reply.tool({ category: 'data', priority: 'P2', summary: 'Export cut at 10,000 rows', customerImpact: 'Report incomplete', escalate: false });
        case 'record_reply':
          return reply.tool({ reply: 'We raised the export limit; please re-run the export.', sources: [], suggestions: ['Check the export limit.'] });
        default:
          return reply.status(400, 'invalid_request_error');
      }
    });
    const made = makeAiCore({ env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url } });
    core = made.core;
    earlierCase(core);
    await made.features.idle();
    const before = fake.messageRequests.length;
    const t = openTicket(core, 'Our CSV export stops at 10,000 rows again, the report is incomplete', { requesterName: 'Priya' });
    await made.features.idle();
    await made.features.plan(t.key, AGENT1); // stages fail on the fake (400) and fall back offline; their prompts still crossed the wire
    const sent = fake.messageRequests.slice(before);
    expect(sent.map(toolOf)).toContain('record_reply');
    expect(sent.map(toolOf)).toContain('record_stage');
    const draftWire = JSON.stringify(sent.find((r) => toolOf(r) === 'record_reply')!.body);
    expect(draftWire).toContain('Raised the export row limit');
    for (const r of sent) expectClean(JSON.stringify(r.body));
  });
});
