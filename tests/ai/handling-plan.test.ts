/** The four-stage handling plan: order, hand-offs between stages, partial and full offline paths. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertPlanPersonas, handlingPlan, PLAN_STAGES } from '../../src/ai/handling-plan.js';
import { FakeAnthropic, type RecordedRequest, reply } from '../fakes/fake-anthropic.js';
import { harness, insertTicket, makeTicket, shippedPersonas, systemText, userText } from './helpers.js';

const stage1 = {
  customerGoal: 'Send finance a complete March export today',
  urgency: 'Medium: month-end close is tomorrow',
  nextStep: 'Split the export by month',
  expectedOutcome: 'Full data in two files',
  escalationPath: 'Data team runs a single export if needed',
  responseDraft: 'Hi Ana, split the export by month for now; if you need one file, reply and the data team will run it.',
};
const stage2 = {
  owner: 'Support on-call',
  escalation: 'If the split export fails → data team within 4h',
  steps: ['Claim the ticket', 'Send the reply', 'Confirm the files arrived'],
  coordination: 'none',
};
const stage3 = { checks: ['Customer confirms the export is complete', 'Row limit documented on the export page'], missingInformation: ['Exact row count'] };
const stage4 = {
  followUps: [{ title: 'Export page states the row limit', kind: 'docs', acceptanceCriteria: ['Limit shown on the page', 'Macro links to it'] }],
  openQuestions: [],
};

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await FakeAnthropic.start();
});
afterEach(async () => {
  await fake.close();
});

const personaOf = (r: RecordedRequest) => /# Persona: (.+)/.exec(systemText(r.body))?.[1];

describe('handlingPlan with AI', () => {
  it('runs the four stages in order, each receiving the ticket and all earlier stage outputs', async () => {
    const h = harness(fake);
    const ticket = insertTicket(h.db, { text: 'Export stops at 10,000 rows; finance needs it. Call me: +44 20 7946 0958' });
    fake.enqueue(reply.tool(stage1), reply.tool(stage2), reply.tool(stage3), reply.tool(stage4));
    const plan = await handlingPlan(
      { ai: h.ai, personas: shippedPersonas() },
      { ticket, similar: [{ key: 'T-0901', category: 'bug', resolution: 'Split by month' }], firstResponseDue: '10:00 UTC tomorrow' },
    );

    const reqs = fake.messageRequests;
    expect(reqs).toHaveLength(4);
    expect(reqs.map(personaOf)).toEqual(['Support Specialist', 'Operations Lead', 'Analyst', 'Product Manager']);
    for (const r of reqs) {
      expect(r.body.tool_choice).toEqual({ type: 'tool', name: 'record_stage' });
      expect(userText(r.body)).toContain('<ticket>\nkey: T-1042');
      expect(userText(r.body)).toContain('<customer_message>\nExport stops at 10,000 rows; finance needs it. Call me: [phone]');
      expect(JSON.stringify(r.body)).not.toContain('7946 0958');
    }
    // Stage 1 gets no previous output; each later stage gets every earlier one.
    expect(userText(reqs[0]!.body)).not.toContain('<previous_stages>');
    expect(userText(reqs[1]!.body)).toContain('## Stage 1: Customer need and response (support-specialist)');
    expect(userText(reqs[1]!.body)).toContain('Customer goal: Send finance a complete March export today');
    expect(userText(reqs[2]!.body)).toContain('Owner: Support on-call');
    expect(userText(reqs[2]!.body)).toContain('Customer goal: Send finance a complete March export today');
    expect(userText(reqs[3]!.body)).toContain('- Customer confirms the export is complete');
    expect(userText(reqs[3]!.body)).toContain('Owner: Support on-call');
    expect(reqs[1]!.body.tools[0].input_schema.required).toEqual(['owner', 'escalation', 'steps', 'coordination']);
    expect(h.repo.listCalls().map((c) => c.purpose)).toEqual(PLAN_STAGES.map((s) => `plan:${s}`));

    expect(plan.path).toBe('ai');
    expect(plan.reason).toBeUndefined();
    expect(plan.stages.map((s) => [s.persona, s.title, s.path])).toEqual([
      ['support-specialist', 'Customer need and response', 'ai'],
      ['operations-lead', 'Handling path and ownership', 'ai'],
      ['analyst', 'Resolution checks', 'ai'],
      ['product-manager', 'Follow-through', 'ai'],
    ]);
    expect(plan.responseDraft).toBe(stage1.responseDraft);
    expect(plan.handlingPath).toEqual({ owner: 'Support on-call', escalation: stage2.escalation, steps: stage2.steps });
    expect(plan.resolutionChecks).toEqual(stage3.checks);
    expect(plan.followUps).toEqual([{ title: 'Export page states the row limit', acceptanceCriteria: ['Limit shown on the page', 'Macro links to it'] }]);
    expect(plan.stages[3]!.output).toContain('- [docs] Export page states the row limit');
  });

  it('keeps the real owner over one the model proposes', async () => {
    const h = harness(fake);
    const ticket = insertTicket(h.db, { ownerId: 'U-DANA' });
    fake.enqueue(reply.tool(stage1), reply.tool({ ...stage2, owner: 'The CEO' }), reply.tool(stage3), reply.tool(stage4));
    const plan = await handlingPlan({ ai: h.ai, personas: shippedPersonas() }, { ticket, owner: 'Dana' });
    expect(plan.handlingPath.owner).toBe('Dana');
    expect(userText(fake.messageRequests[1]!.body)).toContain('current owner: Dana');
  });

  it('a failure at stage 3 makes stages 3 and 4 offline and stops calling', async () => {
    const h = harness(fake, { ai: { maxRetries: 0 } });
    const ticket = insertTicket(h.db);
    fake.enqueue(reply.tool(stage1), reply.tool(stage2), reply.tool({ checks: [] , missingInformation: [] }));
    const plan = await handlingPlan({ ai: h.ai, personas: shippedPersonas() }, { ticket });
    expect(fake.messageRequests).toHaveLength(3);
    expect(plan.stages.map((s) => s.path)).toEqual(['ai', 'ai', 'offline', 'offline']);
    expect(plan.path).toBe('offline');
    expect(plan.reason).toBe('analyst: invalid_output');
    expect(plan.responseDraft).toBe(stage1.responseDraft);
    expect(plan.handlingPath.owner).toBe('Support on-call');
    expect(plan.resolutionChecks).toContain('The problem is reproduced and its cause identified');
    expect(plan.followUps.length).toBeGreaterThan(0);
  });

  it('over budget at the first stage: a complete offline plan, no request', async () => {
    const h = harness(fake, { ai: { dailyTokenBudget: 10 } });
    h.repo.recordCall({ at: h.clock.now(), purpose: 'triage', model: 'm', ticketId: null, inputTokens: 10, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 1, outcome: 'ok' });
    const plan = await handlingPlan({ ai: h.ai, personas: shippedPersonas() }, { ticket: insertTicket(h.db) });
    expect(fake.messageRequests).toHaveLength(0);
    expect(plan).toMatchObject({ path: 'offline', reason: 'support-specialist: over_budget' });
    expect(plan.stages).toHaveLength(4);
  });
});

describe('handlingPlan offline (no key)', () => {
  it('is deterministic, complete and sends nothing', async () => {
    const h = harness(null, { env: { ANTHROPIC_BASE_URL: fake.url } });
    const ticket = makeTicket({ category: 'outage', priority: 'P0', title: 'Dashboard down for all users' });
    const similar = [
      { key: 'T-0950', category: 'outage', resolution: 'Restarted the API pool' },
      { key: 'T-0951', category: 'outage', resolution: null },
    ];
    const a = await handlingPlan({ ai: h.ai, personas: shippedPersonas() }, { ticket, similar, firstResponseDue: '11:00 UTC' });
    const b = await handlingPlan({ ai: null, personas: shippedPersonas() }, { ticket, similar, firstResponseDue: '11:00 UTC' });
    expect(fake.requests).toHaveLength(0);
    expect(a).toEqual(b);
    expect(a.path).toBe('offline');
    expect(a.reason).toBe('disabled');
    expect(a.stages.map((s) => s.persona)).toEqual([...PLAN_STAGES]);
    expect(a.stages.every((s) => s.output.length > 20 && !s.output.includes('{{'))).toBe(true);

    expect(a.stages[0]!.output).toContain('Customer goal: Get the service working again for everyone affected — "Dashboard down for all users"');
    expect(a.stages[0]!.output).toContain('First response due: 11:00 UTC');
    expect(a.responseDraft).toContain('looking into this now'); // nobody escalated it: no on-call claim
    expect(a.responseDraft).not.toContain('raised this with the on-call team');
    expect(a.responseDraft).toContain('Restarted the API pool');
    expect(a.responseDraft).not.toContain('T-0950');
    expect(a.stages[0]!.output).toContain('Known fixes from similar tickets:\n- T-0950: Restarted the API pool');
    expect(a.handlingPath.owner).toBe('support team (unassigned: claim it first)');
    expect(a.handlingPath.escalation).toMatch(/^Now: on-call/);
    expect(a.handlingPath.steps).toContain('Open or join the incident and link similar open tickets to it');
    expect(a.handlingPath.steps).toContain('Try the known fix from T-0950 first');
    expect(a.handlingPath.steps).toContain('Escalate now to on-call / incident owner (tier 3) with affected service, start time and error rate');
    expect(a.stages[1]!.output).toContain('1. Someone in the support team claims the ticket');
    expect(a.resolutionChecks).toContain('Error rate for the affected service is back to its usual level');
    expect(a.resolutionChecks).toContain('The fix from T-0950 was applied or ruled out');
    expect(a.followUps.map((f) => f.title)).toEqual(['Post-incident review for this outage', 'Known-issue entry for "Dashboard down for all users" (3 similar tickets)']);
    expect(a.stages[3]!.output).toContain('  - [ ] Timeline, cause and customer impact are documented');
  });

  it('resolution checks and escalation differ by category and priority', async () => {
    const deps = { ai: null, personas: shippedPersonas() };
    const billing = await handlingPlan(deps, { ticket: makeTicket({ category: 'billing', priority: 'P3' }) });
    const access = await handlingPlan(deps, { ticket: makeTicket({ category: 'access', priority: 'P1' }), owner: 'Dana', escalateTo: 'Tier 2' });
    expect(billing.resolutionChecks).toContain('Any credit or refund is recorded by billing, not promised in chat');
    expect(access.resolutionChecks).toContain('The customer signs in successfully (they confirm)');
    expect(billing.handlingPath.escalation).toMatch(/^Stays with the support team/);
    expect(access.handlingPath.escalation).toMatch(/^Escalate to Tier 2/);
    expect(access.handlingPath.owner).toBe('Dana');
    expect(access.handlingPath.steps[0]).toBe('Dana confirms ownership on the ticket');
  });

  it('a missing stage persona is a clear error', async () => {
    const personas = new Map(shippedPersonas());
    personas.delete('analyst');
    expect(() => assertPlanPersonas(personas)).toThrow(/analyst\.md/);
    await expect(handlingPlan({ ai: null, personas }, { ticket: makeTicket() })).rejects.toThrow(/analyst\.md/);
  });
});
