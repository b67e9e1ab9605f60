/**
 * The engineering hand-off in Teams, end to end through the real botbuilder CloudAdapter against
 * the fake Bot Connector, and the real Octokit against the fake GitHub: the customer's request →
 * the ticket card in the triage channel → "Escalate to engineering" (an Action.Execute invoke)
 * answered with the preview form card → its "Create issue" (Action.Execute with the inputs) →
 * the issue on GitHub, the announcement in the ticket's internal chain, the card showing the
 * issue; and the same with Action.Submit (older clients: form and result in the 1:1 chat). The
 * customer’s channel receives the acknowledgement only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHandoff } from '../../src/handoff/install.js';
import { handoffTrackers } from '../../src/handoff/targets.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { FakeGithub } from '../fakes/fake-github.js';
import type { ConnectorRequest } from '../fakes/fake-connector.js';
import { AGENT, CHANNEL, CUSTOMER, cardOf, cardProblems, channelMessage, executeActions, executeInvoke, flatText, type Harness, startHarness, submitMessage, TENANT } from './support.js';

const TRIAGE = '19:triage@thread.tacv2';

let h: Harness | undefined;
let gh: FakeGithub | undefined;
afterEach(async () => {
  await h?.close();
  await gh?.close();
  h = undefined;
  gh = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: invoke bodies are JSON
const invokeCard = (body: any): any => {
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value;
};

/** What Teams sends with an Action.Execute on a form card: each input's id and current value. */
function inputValues(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') out[o.id] = typeof o.value === 'string' ? o.value : '';
      for (const val of Object.values(o)) walk(val);
    }
  };
  walk(card);
  return out;
}

const textOf = (r: ConnectorRequest): string => `${r.body?.text ?? ''}\n${flatText(cardOf(r))}`;

describe('engineering hand-off in Teams', () => {
  it('Escalate to engineering → preview form → Create issue through Octokit → announced in the internal chain; nothing reaches the customer', async () => {
    gh = await FakeGithub.start({ repos: ['acme/app'] });
    h = await startHarness({ config: { triageChannel: TRIAGE, escalation: { rules: [] }, trackers: { github: { repo: 'acme/app', labels: ['support'] } } } });
    const port = new GithubTracker(h.core.config.trackers.github!, { token: gh.token, baseUrl: gh.url });
    // A generous answer budget: this test is about the flow (handoff-crash.test.ts covers a slow tracker).
    installHandoff(h.core, { trackers: handoffTrackers(h.core.config, { github: port }), answerWithinMs: 10_000 });

    const request = channelMessage(h.fake, CUSTOMER, 'Exports fail with error E5031 since this morning. Steps: open Reports, click Export CSV. Browser: Chrome 131');
    expect((await h.send(request)).status).toBe(200);
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, request.id as string)!;
    const cardId = h.core.tickets.repo.get(t.id)!.cardMessageId!;
    const chain = `${TRIAGE};messageid=${cardId}`;
    const where = { conversationId: chain, conversationType: 'channel', cardMessageId: cardId };
    const card = cardOf(h.fake.messages().find((r) => r.returnedId === cardId));
    expect(cardProblems(card)).toEqual([]);
    const escalate = executeActions(card).find((a) => a.verb === 'handoff.escalate');
    expect(escalate).toMatchObject({ title: 'Escalate to engineering' });

    // The click answers with the preview form card, in place, for Dana only.
    const form = invokeCard((await h.send(executeInvoke(h.fake, AGENT, where, { verb: escalate.verb, data: escalate.data }))).body);
    expect(cardProblems(form)).toEqual([]);
    const inputs = inputValues(form);
    expect(inputs.f_target).toBe('github|acme/app');
    expect(inputs.f_title).toContain('E5031');
    expect(inputs.f_body).toContain('## Summary');
    expect(gh.issues).toHaveLength(0);
    const submit = executeActions(form).find((a) => flatText(a).includes('Create issue') || a.title === 'Create issue');
    expect(submit).toBeTruthy();

    // Create issue: the form's inputs go back with the action data (Dana shortened the title).
    const done = invokeCard((await h.send(executeInvoke(h.fake, AGENT, where, { verb: submit.verb, data: { ...submit.data, ...inputs, f_title: 'Exports fail with E5031' } }))).body);
    expect(flatText(done)).toContain('Created [GitHub acme/app#1]');
    await h.settle();

    // What crossed the wire to GitHub: one create, by the real Octokit with the token.
    const creates = gh.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/app/issues');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.headers.authorization).toBe(`token ${gh.token}`);
    expect(creates[0]!.body).toMatchObject({ title: 'Exports fail with E5031', labels: ['support'] });
    expect(String(creates[0]!.body.body)).toContain('Export CSV');
    expect(String(creates[0]!.body.body)).not.toContain('Carol');

    // The internal chain announces it; the card shows the issue.
    const internal = h.fake.messages().filter((r) => r.conversationId === chain);
    expect(internal.some((r) => textOf(r).includes(`${t.key} handed to engineering`) && textOf(r).includes('acme/app#1'))).toBe(true);
    const latestCard = h.fake.messages().filter((r) => r.returnedId === cardId || (r.kind === 'update' && r.activityId === cardId)).at(-1)!;
    expect(flatText(cardOf(latestCard))).toMatch(/Engineering: \[GitHub acme\/app#1\]\(.*\) · open/);
    expect(cardProblems(cardOf(latestCard))).toEqual([]);
    expect(h.core.tickets.repo.events(t.id).filter((e) => e.type === 'tracker_linked')).toHaveLength(1);

    // The customer's channel: the acknowledgement, nothing about engineering or the issue.
    const customer = h.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL));
    expect(customer).toHaveLength(1);
    expect(textOf(customer[0]!)).toContain(`we have your request: **${t.key}**`);
    for (const r of customer) expect(textOf(r)).not.toMatch(/engineering|acme\/app|GitHub|issue/i);
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
  });

  it('with Action.Submit (older clients): the preview form comes to the 1:1 chat, and so does the result; one issue, nothing to the customer', async () => {
    gh = await FakeGithub.start({ repos: ['acme/app'] });
    h = await startHarness({ config: { triageChannel: TRIAGE, escalation: { rules: [] }, trackers: { github: { repo: 'acme/app' } } } });
    const port = new GithubTracker(h.core.config.trackers.github!, { token: gh.token, baseUrl: gh.url });
    installHandoff(h.core, { trackers: handoffTrackers(h.core.config, { github: port }), answerWithinMs: 10_000 });
    const request = channelMessage(h.fake, CUSTOMER, 'Invoices PDF download returns 500 for EU accounts');
    await h.send(request);
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, request.id as string)!;
    const cardId = h.core.tickets.repo.get(t.id)!.cardMessageId!;
    const escalate = executeActions(cardOf(h.fake.messages().find((r) => r.returnedId === cardId))).find((a) => a.verb === 'handoff.escalate');
    expect(escalate.fallback).toMatchObject({ type: 'Action.Submit' });
    expect((await h.send(submitMessage(h.fake, AGENT, { conversationId: `${TRIAGE};messageid=${cardId}`, conversationType: 'channel', cardMessageId: cardId }, escalate.fallback.data))).status).toBe(200);
    await h.settle();

    const formMsg = h.fake.messages().find((r) => flatText(cardOf(r)).includes('Issue title'))!;
    expect(formMsg).toBeTruthy();
    expect(String(formMsg.conversationId)).not.toContain(TRIAGE);
    expect(String(formMsg.conversationId)).not.toContain(CHANNEL);
    const form = cardOf(formMsg);
    const submit = executeActions(form).find((a) => a.title === 'Create issue');
    const click = submitMessage(h.fake, AGENT, { conversationId: String(formMsg.conversationId), conversationType: 'personal', cardMessageId: formMsg.returnedId! }, { ...submit.fallback.data, ...inputValues(form) });
    click.channelData = { tenant: { id: TENANT } };
    expect((await h.send(click)).status).toBe(200);
    await h.settle();

    expect(gh.issues).toHaveLength(1);
    expect(h.core.tickets.repo.events(t.id).filter((e) => e.type === 'tracker_linked')).toHaveLength(1);
    const answer = h.fake.messages().filter((r) => r.conversationId === formMsg.conversationId && textOf(r).includes('Created [GitHub acme/app#1]'));
    expect(answer).toHaveLength(1);
    const customer = h.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL));
    expect(customer).toHaveLength(1);
    for (const r of customer) expect(textOf(r)).not.toMatch(/engineering|acme\/app|GitHub|issue/i);
  });
});
