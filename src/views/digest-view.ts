/**
 * The leads' digest as a MessageView: a header with the period, the headline numbers (each a
 * link to the tickets behind it), open queue by priority and age, SLA compliance with every
 * breach, medians, top categories with their change, repeated issues with a suggested follow-up,
 * per-owner load, tickets at risk with Take it / Snooze, AI usage when there was any, and the
 * customer outcomes (CSAT, responses, first-contact resolution, reopen rate) against targets.
 * Written to be read in 30 seconds; stays well under Slack's 50-block limit.
 */
import { DateTime } from 'luxon';
import { PRIORITIES } from '../domain/types.js';
import type { ClockCompliance, ClusterItem, DigestData, Share } from '../digest/build-digest.js';
import { formatDuration } from '../util/duration.js';
import { ACTIONS } from './action-ids.js';
import { CLOCK_TEXT, ticketLink } from './escalation-prompt.js';
import { engineeringDigestBlocks } from './engineering-digest-view.js';
import { knowledgeDigestBlocks } from './knowledge-digest-view.js';
import { type Block, type MessageView, mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

/** Snooze offered on at-risk tickets, minutes. */
export const DIGEST_SNOOZE_MINUTES = 60;
/** At most this many at-risk tickets get buttons (two blocks each). */
const MAX_AT_RISK = 6;
const MAX_BREACHES = 8;

const SUGGESTION: Record<ClusterItem['suggestion'], (c: ClusterItem) => string> = {
  incident: (c) => `linked as ${plain(c.incident ?? '')} — write the follow-up once it is closed`,
  known_answer: () => 'mostly resolved — add a known answer or help article so the next ones resolve themselves',
  investigate: () => 'still open — check for an incident and link them as one',
};

/** Anchor for a list of tickets; adapters that can show lists resolve it (others show the text). */
function listLink(label: string | number, query: string): string {
  return `[${label}](#tickets?${query})`;
}

function isoDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

function change(now: number, before: number): string {
  const d = now - before;
  if (d === 0) return '±0';
  const sign = d > 0 ? '+' : '−';
  const pct = before > 0 ? ` (${sign}${Math.round((Math.abs(d) / before) * 100)}%)` : '';
  return `${sign}${Math.abs(d)}${pct}`;
}

function compliance(c: ClockCompliance): string {
  if (c.compliance === null) return 'nothing due';
  return `**${Math.round(c.compliance * 100)}%** met (${c.met}/${c.met + c.missed})`;
}

function medianText(ms: number | null, n: number): string {
  return ms === null ? '—' : `${formatDuration(ms >= 60_000 ? Math.round(ms / 60_000) * 60_000 : ms)} (n=${n})`;
}

/** Change of a rate in percentage points: "+10 pts", "−50 pts", "±0 pts"; "new" when there was none before. */
function ptsChange(now: number | null, before: number | null): string {
  if (now === null) return '';
  if (before === null) return ' _new_';
  const d = Math.round(now * 100) - Math.round(before * 100);
  return ` _${d === 0 ? '±0' : d > 0 ? `+${d}` : `−${-d}`} pts_`;
}

function pct(x: Share): string {
  return x.rate === null ? '—' : `**${Math.round(x.rate * 100)}%** (${x.count}/${x.of})`;
}

/** A target mark: met, or below. */
function targetMark(x: Share, target: number): string {
  if (x.rate === null) return ` · target > ${Math.round(target * 100)}%`;
  return x.rate > target ? ` · target > ${Math.round(target * 100)}% :white_check_mark:` : ` · target > ${Math.round(target * 100)}% :warning: below`;
}

/** CSAT, responses, first-contact resolution and reopen rate, each with the change since the period before. */
export function outcomesText(d: DigestData): string {
  const o = d.outcomes;
  const p = d.previousOutcomes;
  return [
    `**CSAT** ${pct(o.csat)}${ptsChange(o.csat.rate, p.csat.rate)}${targetMark(o.csat, d.targets.csat)}`,
    `**Responses** ${o.csat.of} _${change(o.csat.of, p.csat.of)}_`,
    `**First-contact resolution** ${pct(o.fcr)}${ptsChange(o.fcr.rate, p.fcr.rate)}${targetMark(o.fcr, d.targets.fcr)}`,
    `**Reopen rate** ${pct(o.reopen)}${ptsChange(o.reopen.rate, p.reopen.rate)}`,
  ].join('  ·  ');
}

/** "Daily digest · Mon 23 Nov · covers Fri 20 – Sun 22 Nov" */
export function digestTitle(d: DigestData): string {
  const z = d.period.zone;
  const day = DateTime.fromISO(d.period.date, { zone: z });
  const from = DateTime.fromMillis(d.period.from, { zone: z });
  const last = DateTime.fromMillis(d.period.to, { zone: z }).minus({ days: 1 });
  const span = d.period.days === 1 ? from.toFormat('ccc d LLL') : `${from.toFormat('ccc d LLL')} – ${last.toFormat('ccc d LLL')}`;
  return `${d.period.kind === 'weekly' ? 'Weekly summary' : 'Daily digest'} · ${day.toFormat('ccc d LLL')} · covers ${span}`;
}

/**
 * Render a digest. `preview` marks the ephemeral `/ticket digest` copy.
 * @example digestView(buildDigest(db, period, now)) // { text: 'Daily digest · …', blocks: [...] }
 */
export function digestView(d: DigestData, opts: { preview?: boolean } = {}): MessageView {
  const z = d.period.zone;
  const range = `${isoDate(d.period.from, z)}..${isoDate(d.period.to, z)}`;
  const weekly = d.period.kind === 'weekly';
  const vs = (now: number, before: number) => ` _${change(now, before)}_`;
  const blocks: Block[] = [{ type: 'header', text: digestTitle(d) }];
  if (opts.preview) blocks.push({ type: 'context', elements: ['Preview — only you can see this.'] });

  blocks.push({
    type: 'text',
    text: [
      `**New** ${listLink(d.new.count, `created=${range}`)}${vs(d.new.count, d.previous.new)}`,
      `**Resolved** ${listLink(d.resolved.count, `resolved=${range}`)}${vs(d.resolved.count, d.previous.resolved)}`,
      `**Reopened** ${listLink(d.reopened.count, `reopened=${range}`)}${vs(d.reopened.count, d.previous.reopened)}`,
      `**Open now** ${listLink(d.open.count, 'status=open')}`,
    ].join('  ·  '),
  });
  blocks.push({
    type: 'fields',
    fields: [
      { label: 'Open by priority', value: PRIORITIES.map((p) => `${p} ${listLink(d.openByPriority[p], `status=open&priority=${p}`)}`).join(' · ') },
      { label: 'Open by age', value: d.openByAge.map((b) => `${b.label} ${listLink(b.count, `status=open&age=${b.id}`)}`).join(' · ') },
      { label: 'First response SLA', value: compliance(d.sla.firstResponse) },
      { label: 'Resolution SLA', value: compliance(d.sla.resolution) },
      { label: 'Median first response', value: medianText(d.medians.firstResponseMs, d.medians.firstResponseSamples) },
      { label: 'Median time to resolution', value: medianText(d.medians.resolutionMs, d.medians.resolutionSamples) },
    ],
  });

  blocks.push({ type: 'text', text: outcomesText(d) });

  if (d.breaches.length > 0) {
    const lines = d.breaches
      .slice(0, MAX_BREACHES)
      .map((b) => {
        const by = b.stoppedAt === null ? 'still open' : `met ${formatDuration(Math.round((b.stoppedAt - b.dueAt) / 60_000) * 60_000 || 60_000)} late`;
        return `• ${ticketLink(b.key)} ${b.priority} ${CLOCK_TEXT[b.clock]} — ${by}${b.ownerId ? ` · ${mention(b.ownerId)}` : ''}`;
      })
      .join('\n');
    const more = d.breaches.length > MAX_BREACHES ? `\n…and ${d.breaches.length - MAX_BREACHES} more` : '';
    blocks.push({ type: 'text', text: `**Breaches** (${d.breaches.length})\n${lines}${more}` });
  }

  const cats = d.categories.filter((c) => c.count > 0).slice(0, 5);
  if (cats.length > 0)
    blocks.push({
      type: 'text',
      text: `**Top categories** ${cats.map((c) => `${plain(c.category)} ${listLink(c.count, `created=${range}&category=${encodeURIComponent(c.category)}`)} _${change(c.count, c.previous)}_`).join(' · ')}`,
    });

  if (d.clusters.length > 0)
    blocks.push({
      type: 'text',
      text: `**Repeated issues**\n${d.clusters
        .slice(0, 3)
        .map((c) => `• ${c.keys.length} tickets about _${c.words.map(plain).join(', ')}_: ${c.keys.slice(0, 5).map(ticketLink).join(' ')}${c.keys.length > 5 ? ' …' : ''} — ${SUGGESTION[c.suggestion](c)}`)
        .join('\n')}`,
    });

  const owners = d.owners.filter((o) => o.open > 0 || o.resolved > 0).slice(0, 6);
  if (owners.length > 0)
    blocks.push({
      type: 'text',
      text: `**Load** ${owners
        .map((o) => `${o.ownerId ? mention(o.ownerId) : '_unassigned_'} ${listLink(o.open, `status=open&owner=${o.ownerId ?? 'none'}`)} open, ${o.resolved} resolved`)
        .join(' · ')}`,
    });

  blocks.push(...knowledgeDigestBlocks(d.knowledge));
  blocks.push(...engineeringDigestBlocks(d.engineering));

  if (d.atRisk.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'text', text: `**At risk in the next 24 h** (${d.atRiskCount})` });
    for (const r of d.atRisk.slice(0, MAX_AT_RISK)) {
      const due = formatDuration(Math.max(60_000, Math.round((r.dueAt - d.generatedAt) / 60_000) * 60_000));
      blocks.push({
        type: 'text',
        text: `${ticketLink(r.key)} ${r.priority} ${CLOCK_TEXT[r.clock]} due in ${due} · ${r.ownerId ? mention(r.ownerId) : '_unassigned_'} — ${plain(truncate(r.title, 70, '…'))}`,
      });
      blocks.push({
        type: 'actions',
        blockId: `digest-risk-${r.key}`,
        elements: [
          { type: 'button', actionId: ACTIONS.digestTake, label: 'Take it', value: r.key },
          { type: 'button', actionId: ACTIONS.digestSnooze, label: `Snooze ${formatDuration(DIGEST_SNOOZE_MINUTES * 60_000)}`, value: `${r.key}|${DIGEST_SNOOZE_MINUTES}` },
        ],
      });
    }
    if (d.atRiskCount > MAX_AT_RISK) blocks.push({ type: 'context', elements: [`…and ${listLink(`${d.atRiskCount - MAX_AT_RISK} more`, 'status=open&risk=24h')}`] });
  }

  const footer: string[] = [];
  if (d.ai) footer.push(`AI: ${d.ai.calls} calls · ${d.ai.totalTokens.toLocaleString('en-US')} tokens · ${Math.round(d.ai.cacheHitRate * 100)}% cache hits`);
  footer.push(`${weekly ? 'vs the 7 days before' : 'vs the period before'} · times in ${plain(z)} · open counts as of ${DateTime.fromMillis(d.generatedAt, { zone: z }).toFormat('HH:mm')}`);
  blocks.push({ type: 'context', elements: footer });

  const text = `${digestTitle(d)}: ${d.new.count} new, ${d.resolved.count} resolved, ${d.open.count} open, ${d.breaches.length} breaches, ${d.atRiskCount} at risk`;
  return { text, blocks };
}

/** Confirmation texts for the digest's buttons. */
export const DIGEST_REPLY = {
  took: (key: string) => `You own ${key} now.`,
  snoozed: (key: string, minutes: number) => `SLA pings for ${key} are snoozed for ${formatDuration(minutes * 60_000)}.`,
  noChannel: 'No digest channel is configured (digest.channels); showing the desk-wide digest.',
} as const;
