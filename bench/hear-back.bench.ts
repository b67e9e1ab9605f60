/**
 * Hearing back from trackers: signed GitHub "closed" deliveries per second through
 * POST /webhooks/github (signature check, replay record, state, a line and a prompt for each of
 * two linked tickets, one transaction each) on a file database; and one polling pass over 200
 * linked issues against the fake GitHub through the real @octokit/rest client.
 * Run alone: npx tsx bench/hear-back.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { installHearBack } from '../src/handoff/hear-back.js';
import { ManualClock } from '../src/ports/clock.js';
import { openDatabase } from '../src/store/db.js';
import { TrackerRepo } from '../src/store/tracker-repo.js';
import { createTrackers } from '../src/trackers/index.js';
import { FakeGithub } from '../tests/fakes/fake-github.js';

const SECRET = 'bench-secret';

export async function runHearBackBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-hearback-'));
  const gh = await FakeGithub.start();
  try {
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
    const config = parseConfig({ agents: ['A'], triageChannel: 'CT', trackers: { github: { repo: 'acme/app' } } });
    const env = { LOG_LEVEL: 'silent', GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: SECRET };
    const core = createCore({ config, db: openDatabase(join(dir, 'hb.db')), clock, env });
    const trackers = createTrackers(config, env, { clock });
    const hb = installHearBack(core, trackers, { schedule: false });
    const port = trackers.ports.get('github')!;
    const repo = new TrackerRepo(core.db);
    const n = 400;
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const issue = await port.createIssue({ target: { project: 'acme/app', labels: [] }, title: `Bug ${i}`, body: 'x', priority: 'P2' });
      const stored = repo.upsert(issue, clock.now(), 'A');
      for (let k = 0; k < 2; k++) {
        const t = core.tickets.open({ platform: 'slack', channelId: 'C1', sourceMessageId: `m${i}-${k}`, requesterId: `U${i}`, text: `Export fails for workspace ${i} (${k})`, force: true }).ticket!;
        repo.link(t.id, stored.id, 'A', clock.now());
      }
      keys.push(issue.key);
    }
    const { port: httpPort } = await core.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${httpPort}/webhooks/github`;

    // Polling: 200 open linked issues, one pass (two requests per issue).
    const p0 = performance.now();
    const pass = await hb.poller.run(200);
    const pollMs = performance.now() - p0;

    // Webhooks: close every issue, one signed delivery each, sequentially.
    const deliveries = keys.map((k) => {
      gh.closeIssue(k);
      return gh.delivery('issues', gh.issuesPayload(k, 'closed'), SECRET);
    });
    const w0 = performance.now();
    let lines = 0;
    for (const d of deliveries) {
      const res = await fetch(url, { method: 'POST', headers: d.headers, body: new Uint8Array(d.rawBody) });
      lines += ((await res.json()) as { lines?: number }).lines ?? 0;
    }
    const webhookSec = (performance.now() - w0) / 1000;
    await core.close();
    return {
      'webhook: signed close deliveries/s (2 linked tickets each)': Math.round(n / webhookSec),
      'webhook: lines queued': lines,
      'poll: one pass over 200 linked issues (ms)': Math.round(pollMs),
      'poll: issues read in the pass': pass.issues,
    };
  } finally {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runHearBackBench());
