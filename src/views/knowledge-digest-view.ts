/**
 * The known-answers section of the leads' digest and weekly summary: deflection rate, how
 * helpful each offered answer was, answers that keep failing, and the documentation gaps (the
 * top clusters of requests no known answer covers, each with an example and "Write an answer").
 * Kept apart from digest-view.ts so the sections merge cleanly with other digest work.
 */
import type { KnowledgeFigures } from '../digest/knowledge-figures.js';
import { ACTIONS } from './action-ids.js';
import { ticketLink } from './escalation-prompt.js';
import { type Block, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

/** At most this many gap clusters get a "Write an answer" button. */
const MAX_GAPS = 3;

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * Blocks for the digest (empty when the feature did nothing in the period).
 * @example knowledgeDigestBlocks(data.knowledge) // [{ type: 'text', text: '**Known answers** deflected 2 of 5 requests (40%) …' }, …]
 */
export function knowledgeDigestBlocks(k: KnowledgeFigures | null | undefined): Block[] {
  if (!k) return [];
  const lines = [`**Known answers** deflected ${k.deflected} of ${k.requests} requests (**${pct(k.deflectionRate)}**) · offered to ${k.offered}`];
  const used = k.answers.filter((a) => a.offered > 0 || a.sent > 0).slice(0, 5);
  if (used.length)
    lines.push(
      `Helpfulness: ${used
        .map((a) => `${plain(a.title)} ${a.solved} solved / ${a.needHelp} still needed help${a.expired ? ` / ${a.expired} no reply` : ''}${a.sent ? ` · sent by agents ${a.sent}×` : ''}`)
        .join(' · ')}`,
    );
  if (k.failing.length)
    lines.push(`Keep failing: ${k.failing.slice(0, 3).map((a) => `**${plain(a.title)}** (${a.failed} of ${a.offered} not solved) — rewrite or narrow its tags`).join(' · ')}`);
  const blocks: Block[] = [{ type: 'text', text: lines.join('\n') }];
  if (k.gaps.count > 0) {
    const clusters = k.gaps.clusters.slice(0, MAX_GAPS);
    blocks.push({
      type: 'text',
      text: `**Documentation gaps** (${k.gaps.count} requests without a known answer)${clusters.length ? '' : ' — no repeated question yet'}`,
    });
    for (const c of clusters) {
      blocks.push({
        type: 'text',
        text: `• ${c.keys.length} requests about _${c.words.map(plain).join(', ')}_, e.g. ${ticketLink(c.example.key)} “${plain(truncate(c.example.title, 80, '…'))}” ${c.keys.slice(0, 5).filter((x) => x !== c.example.key).map(ticketLink).join(' ')}`,
      });
      blocks.push({ type: 'actions', blockId: `digest-gap-${c.writeFrom}`, elements: [{ type: 'button', actionId: ACTIONS.answerWrite, label: 'Write an answer', value: c.writeFrom }] });
    }
  }
  return blocks;
}
