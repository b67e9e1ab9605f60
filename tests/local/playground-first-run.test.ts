/**
 * The playground as a new user meets it (issue #11, item 8): a copy of the example config
 * keeps #support opening tickets, a post in a non-support channel is explained in the channel
 * (not by a fleeting toast), and every number link in the digest opens the tickets behind it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from '../digest/sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import { digestView } from '../../src/views/digest-view.js';
import { type RunningPlayground, call, startPlayground, textOf } from './playground-harness.js';

interface Posted {
  message: { id: string };
  outcome: { kind: string; result?: string; ticket?: string | null; reason?: string };
}
interface Rendered {
  id: string;
  kind: string;
  visibleTo: string | null;
  html: string;
}

let pg: RunningPlayground;
afterEach(async () => {
  await pg?.close();
});

const post = (as: string, text: string, channelId = 'support') => call<Posted>(pg.base, 'POST', '/messages', as, { channelId, text });
const list = async (as: string, channel: string) => (await call<{ messages: Rendered[] }>(pg.base, 'GET', `/channels/${channel}/messages`, as)).messages;

describe('the playground for a new user', () => {
  it('keeps #support a support channel on a copy of frontdesk.config.example.yaml', async () => {
    pg = await startPlayground({ config: parse(readFileSync('frontdesk.config.example.yaml', 'utf8')) as Record<string, unknown> });
    const res = await post('alex', 'Checkout fails with error 502 for every customer since 10:05');
    expect(res.outcome).toMatchObject({ kind: 'ticket', result: 'created' });
    // The Slack channels of the example stay support channels too.
    expect(pg.core.config.channels.map((c) => c.id)).toEqual(['C0SUPPORT', 'C0VIPDESK', 'support']);
  });

  it('explains in the channel, to the poster only and once, why a post in a non-support channel opened no ticket', async () => {
    pg = await startPlayground({ config: { channels: [{ id: 'support' }] } });
    await call(pg.base, 'POST', '/channels', 'alex', { name: 'random' });
    const first = await post('alex', 'My invoice export fails with a timeout', 'random');
    expect(first.outcome).toMatchObject({ kind: 'ignored', reason: 'not a support channel' });
    await post('alex', 'Still failing, anyone?', 'random');
    const hints = (await list('alex', 'random')).filter((m) => m.kind === 'ephemeral');
    expect(hints).toHaveLength(1);
    expect(hints[0]!.visibleTo).toBe('alex');
    const text = textOf(hints[0]!.html);
    expect(text).toContain('#random is not a support channel');
    expect(text).toContain('Support channels: #support');
    expect(hints[0]!.html).toContain('<code>- id: random</code>');
    expect((await list('priya', 'random')).filter((m) => m.kind === 'ephemeral')).toHaveLength(0);
  });

  it('opens the tickets behind every number link of the digest', async () => {
    pg = await startPlayground();
    const texts = [
      'Production is down for all users, every request fails',
      'Checkout fails with error 502 for every customer',
      'I cannot log in with SSO since this morning',
      'How do I export invoices to CSV?',
      'Could you add a dark mode to the dashboard?',
    ];
    const keys: string[] = [];
    for (const t of texts) keys.push((await post('alex', t)).outcome.ticket!);
    pg.core.tickets.assign(keys[1]!, 'dana', 'dana');
    pg.core.tickets.resolve(keys[3]!, 'sam');
    pg.core.tickets.resolve(keys[4]!, 'sam');
    pg.core.tickets.reopen(keys[4]!, 'sam');
    pg.clock.advance(2 * 3_600_000);

    const d = await buildDigest(digestSources(pg.core.db), digestPeriod('daily', '2026-11-25', 'UTC', []), pg.clock.now());
    const view = JSON.stringify(digestView(d).blocks);
    const links = [...view.matchAll(/\[([^[\]]+)\]\(#tickets\?([^)]+)\)/g)].map((m) => ({ label: m[1]!, query: m[2]! }));
    expect(links.length).toBeGreaterThanOrEqual(15);
    const seen = new Set<string>();
    for (const { label, query } of links) {
      const r = await call<{ count: number; keys: string[]; html: string }>(pg.base, 'GET', `/tickets?${query}`, 'morgan');
      expect(r.count, `${query} (the digest says ${label})`).toBe(Number.parseInt(label, 10));
      for (const k of r.keys) seen.add(k);
    }
    expect([...seen].sort()).toEqual([...keys].sort());
    const p0 = await call<{ keys: string[]; html: string }>(pg.base, 'GET', '/tickets?status=open&priority=P0', 'morgan');
    expect(p0.keys).toEqual([pg.core.tickets.repo.list({ open: true, priority: 'P0' })[0]!.key]);
    expect(textOf(p0.html)).toContain('Tickets · Open · P0');
    await expect(call(pg.base, 'GET', '/tickets?colour=red', 'morgan')).rejects.toThrow(/"colour" is not a ticket filter/);
  });

  it('makes the digest links clickable in the page', () => {
    const js = readFileSync('adapters/local/public/playground.js', 'utf8');
    expect(js).toContain('a[href^="#tickets?"]');
    expect(js).toMatch(/api\(query \? `\/tickets\?/);
  });
});
