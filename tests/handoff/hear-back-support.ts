/**
 * Test support for hearing back from trackers: link a ticket to an issue created through the
 * REAL tracker client on a fake tracker server, and POST a signed delivery (bytes exactly as
 * built) to frontdesk's webhook route.
 */
import type { Core } from '../../src/app.js';
import type { TrackerIssue, TrackerPort } from '../../src/ports/tracker-port.js';
import { TrackerRepo } from '../../src/store/tracker-repo.js';

/** Create an issue through the real client and link `ticketIds` to it (as the hand-off flow would). */
export async function createAndLink(core: Core, port: TrackerPort, project: string, ticketIds: number[], by: string): Promise<TrackerIssue> {
  const issue = await port.createIssue({ target: { project, labels: [] }, title: 'Export to CSV fails with 502', body: 'repro: click Export', priority: 'P2' });
  const repo = new TrackerRepo(core.db);
  const stored = repo.upsert(issue, core.clock.now(), by);
  for (const id of ticketIds) repo.link(id, stored.id, by, core.clock.now());
  return issue;
}

export interface Delivery {
  headers: Record<string, string>;
  rawBody: Buffer;
}

/** POST a delivery to frontdesk; returns the status and the JSON answer. */
export async function deliver(base: string, path: string, d: Delivery): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: d.headers, body: new Uint8Array(d.rawBody) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}
