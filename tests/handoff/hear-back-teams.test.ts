/**
 * Hearing back from GitHub on Teams, through the real botbuilder CloudAdapter and the fake Bot
 * Connector: a signed "closed" delivery puts the line and the prompt (a valid Adaptive Card with
 * Send to customer / Edit… / Dismiss) in the ticket's internal chain in the triage channel; Send
 * (Action.Execute) posts exactly the drafted update in the customer's chain in the agent's name
 * and answers with the decided prompt; a second click sends nothing more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeGithub } from '../fakes/fake-github.js';
import type { ConnectorRequest } from '../fakes/fake-connector.js';
import { AGENT, CHANNEL, CUSTOMER, cardOf, cardProblems, channelMessage, executeActions, executeInvoke, flatText, type Harness, startHarness, T0 } from '../teams/support.js';
import { createAndLink, deliver } from './hear-back-support.js';

const TRIAGE = '19:triage@thread.tacv2';
const SECRET = 'gh-secret-teams';

let h: Harness | undefined;
let gh: FakeGithub | undefined;
afterEach(async () => {
  await h?.close();
  await gh?.close();
  h = undefined;
  gh = undefined;
});

const textOfRequest = (r: ConnectorRequest): string => `${r.body?.text ?? ''}\n${flatText(cardOf(r))}`;

describe('hear back from GitHub on Teams', () => {
  it('the prompt in the internal chain is a valid card; Send tells the customer exactly the update, once', async () => {
    let ghTime = T0 + 5 * 60_000;
    gh = await FakeGithub.start({ clock: { now: () => (ghTime += 1000) } });
    h = await startHarness({
      config: { triageChannel: TRIAGE, escalation: { rules: [] }, trackers: { github: { repo: 'acme/app' } } },
      env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: SECRET },
    });
    const trackers = createTrackers(h.core.config, h.core.env, { clock: h.core.clock });
    const port = trackers.ports.get('github')!;
    installHearBack(h.core, trackers, { schedule: false });

    const request = channelMessage(h.fake, CUSTOMER, 'Exports to CSV time out for our workspace since this morning');
    await h.send(request);
    await h.flush();
    const root = request.id as string;
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, root)!;
    const cardId = h.core.tickets.repo.get(t.id)!.cardMessageId!;
    const chain = `${TRIAGE};messageid=${cardId}`;
    const issue = await createAndLink(h.core, port, 'acme/app', [t.id], AGENT.aadObjectId!);
    await h.settle();
    const customerBefore = h.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL)).length;

    gh.closeIssue(issue.key);
    const res = await deliver(h.url.replace(/\/api\/messages$/, ''), '/webhooks/github', gh.delivery('issues', gh.issuesPayload(issue.key, 'closed', 'octocat'), SECRET));
    expect(res.json).toMatchObject({ ok: true, lines: 1, prompts: 1 });
    await h.settle();
    const internal = h.fake.messages().filter((r) => r.conversationId === chain);
    expect(internal.some((r) => /GitHub \[acme\/app#1\]\(https:\/\/github\.com\/acme\/app\/issues\/1\) was closed by @octocat/.test(textOfRequest(r)))).toBe(true);
    const prompt = internal.find((r) => executeActions(cardOf(r) ?? {}).some((a) => a.verb === 'fix_update.send'))!;
    expect(prompt).toBeTruthy();
    expect(cardProblems(cardOf(prompt))).toEqual([]);
    expect(executeActions(cardOf(prompt)).map((a) => a.title)).toEqual(['Send to customer', 'Edit…', 'Dismiss']);

    const send = executeActions(cardOf(prompt)).find((a) => a.verb === 'fix_update.send');
    const where = { conversationId: chain, conversationType: 'channel', cardMessageId: prompt.returnedId! };
    const first = await h.send(executeInvoke(h.fake, AGENT, where, { verb: send.verb, data: send.data }));
    expect(flatText(first.body)).toContain('Sent to the customer');
    const again = await h.send(executeInvoke(h.fake, AGENT, where, { verb: send.verb, data: send.data }));
    expect(flatText(again.body)).toContain('Sent to the customer');
    await h.settle();

    const customer = h.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL)).slice(customerBefore);
    expect(customer).toHaveLength(1);
    expect(customer[0]).toMatchObject({ kind: 'reply', activityId: root });
    expect(textOfRequest(customer[0]!)).toMatch(/\*\*Dana Agent\*\* replied:[\s\S]*Good news — the fix for the problem you reported/);
    expect(textOfRequest(customer[0]!)).not.toMatch(/acme\/app|GitHub|agents only|Drafted|octocat/);
    expect(JSON.stringify(customer[0]!.body)).not.toMatch(/Action\.(Execute|Submit)/);
    expect(h.core.tickets.repo.events(t.id).filter((e) => e.type === 'fix_update_sent')).toHaveLength(1);
  });
});
