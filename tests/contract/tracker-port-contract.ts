/**
 * The TrackerPort contract: ONE suite every tracker (GitHub, Jira, Linear) must pass. Each
 * tracker's test file calls `trackerPortContract(name, makeHarness)` with a harness that drives
 * the REAL client library against its fake server and reports what crossed the wire.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/domain/types.js';
import { type IssueTarget, TrackerError, type TrackerPort } from '../../src/ports/tracker-port.js';

/** The create request as the fake server saw it, normalised. */
export interface WireCreate {
  project: string;
  title: string;
  /** The body as plain text (Jira's ADF flattened). */
  bodyText: string;
  labels: string[];
  /** The vendor's priority value sent (label, name or number); null when none was sent. */
  priority: string | number | null;
}

export interface TrackerHarness {
  port: TrackerPort;
  /** A target the fake accepts (labels included). */
  target: IssueTarget;
  /** The vendor value P1 must map to under the harness's config. */
  p1: string | number;
  /** Env variable whose token the auth failure message must name. */
  tokenVar: string;
  /** The same tracker with a token the fake refuses. */
  badAuthPort(): TrackerPort;
  /** A well-formed key of an issue that does not exist. */
  missingKey: string;
  lastCreate(): WireCreate;
  /** Server-side changes, as an engineer would make them. */
  setState(key: string, to: 'in_progress' | 'completed' | 'not_planned'): void;
  commentAsEngineer(key: string, body: string): void;
  /** Text of every comment and link the fake holds for the issue. */
  commentsOnServer(key: string): string[];
  linksOnServer(key: string): { url: string; title: string }[];
  /** Advance the fake's clock (and the port's) by ms, so "since" has a boundary. */
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

const BODY = ['## Summary', 'Checkout fails with a 500.', '', '- step one', '- step two', '', '```', 'Error: boom at pay.ts:12', '```', '', 'See [the thread](https://chat.example/T-1042)'].join('\n');

const create = (h: TrackerHarness, title = 'Checkout returns 500 for EU cards', priority: Priority = 'P1') =>
  h.port.createIssue({ target: h.target, title, body: BODY, priority });

export function trackerPortContract(name: string, makeHarness: () => Promise<TrackerHarness>): void {
  describe(`TrackerPort contract: ${name}`, () => {
    let h: TrackerHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('creates an issue: title, body, labels and priority cross the wire; returns key, url and open state', async () => {
      const issue = await create(h);
      expect(issue.tracker).toBe(h.port.kind);
      expect(issue.key).toBeTruthy();
      expect(issue.url).toMatch(/^https?:\/\//);
      expect(issue.title).toBe('Checkout returns 500 for EU cards');
      expect(issue.state).toBe('open');
      expect(issue.closeReason).toBeNull();
      const wire = h.lastCreate();
      expect(wire.project).toBe(h.target.project);
      expect(wire.title).toBe('Checkout returns 500 for EU cards');
      for (const part of ['Summary', 'Checkout fails with a 500.', 'step one', 'step two', 'Error: boom at pay.ts:12', 'the thread']) expect(wire.bodyText).toContain(part);
      for (const l of h.target.labels) expect(wire.labels).toContain(l);
      expect(wire.priority).toBe(h.p1);
    });

    it('reads the state an engineer set: in progress, closed as completed, closed as not planned', async () => {
      const a = await create(h, 'first');
      const b = await create(h, 'second');
      h.setState(a.key, 'in_progress');
      const inProgress = await h.port.getIssue(a.key);
      expect(inProgress.state).toBe('in_progress');
      expect(inProgress.key).toBe(a.key);
      h.setState(a.key, 'completed');
      const closed = await h.port.getIssue(a.key);
      expect(closed).toMatchObject({ state: 'closed', closeReason: 'completed' });
      expect(closed.updatedAt).toBeGreaterThanOrEqual(inProgress.updatedAt);
      h.setState(b.key, 'not_planned');
      expect(await h.port.getIssue(b.key)).toMatchObject({ state: 'closed', closeReason: 'not_planned' });
    });

    it('finds issues by words of their title, and not others', async () => {
      const hit = await create(h, 'Webhook timeout on invoices');
      await create(h, 'Dark mode colours are off');
      const found = await h.port.searchIssues('invoices timeout', { limit: 5 });
      expect(found.map((i) => i.key)).toEqual([hit.key]);
      expect(found[0]!.title).toBe('Webhook timeout on invoices');
      expect(await h.port.searchIssues('"nothing like this" OR x')).toEqual([]);
    });

    it('a pasted key or issue URL finds that issue', async () => {
      const issue = await create(h, 'Pasted key lookup');
      await create(h, 'Another one');
      expect((await h.port.searchIssues(issue.key)).map((i) => i.key)).toEqual([issue.key]);
      expect((await h.port.searchIssues(` ${issue.url} `)).map((i) => i.key)).toEqual([issue.key]);
      expect(await h.port.searchIssues(h.missingKey)).toEqual([]);
    });

    it('adds a comment (marked as frontdesk\'s) and a link back to the ticket', async () => {
      const issue = await create(h);
      const c = await h.port.addComment(issue.key, 'Another customer reports this: T-1043');
      expect(c.byBot).toBe(true);
      expect(c.body).toContain('Another customer reports this: T-1043');
      expect(h.commentsOnServer(issue.key).join('\n')).toContain('Another customer reports this: T-1043');
      await h.port.addLink(issue.key, { url: 'https://frontdesk.example/t/T-1042', title: 'T-1042 Checkout fails' });
      const links = h.linksOnServer(issue.key);
      expect(links.some((l) => l.url === 'https://frontdesk.example/t/T-1042' && l.title.includes('T-1042'))).toBe(true);
    });

    it('lists comments newer than a time, oldest first, telling engineers from frontdesk', async () => {
      const issue = await create(h);
      h.commentAsEngineer(issue.key, 'old remark');
      h.advance(60_000);
      const since = h.now();
      h.advance(60_000);
      h.commentAsEngineer(issue.key, 'Fixed in 2.4.1, deploying now');
      h.advance(1_000);
      await h.port.addComment(issue.key, 'Thanks, frontdesk will tell the customers');
      const comments = await h.port.commentsSince(issue.key, since);
      expect(comments.map((c) => c.body)).toEqual(['Fixed in 2.4.1, deploying now', 'Thanks, frontdesk will tell the customers']);
      expect(comments.map((c) => c.byBot)).toEqual([false, true]);
      expect(comments[0]!.author).toBeTruthy();
      expect(comments[0]!.at).toBeGreaterThan(since);
    });

    it('a refused token is a TrackerError("auth") naming the variable to fix', async () => {
      const err = await h.badAuthPort().getIssue(h.missingKey).catch((e) => e);
      expect(err).toBeInstanceOf(TrackerError);
      expect(err.code).toBe('auth');
      expect(err.tracker).toBe(h.port.kind);
      expect(err.message).toContain(h.tokenVar);
    });

    it('an unknown issue is a TrackerError("not_found") naming it', async () => {
      const err = await h.port.getIssue(h.missingKey).catch((e) => e);
      expect(err).toBeInstanceOf(TrackerError);
      expect(err.code).toBe('not_found');
      expect(err.message).toContain(h.missingKey);
    });
  });
}
