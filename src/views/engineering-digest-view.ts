/**
 * The "Waiting on engineering" section of the leads' digest: open tickets handed to an issue that
 * is still open, oldest first, with their age. Kept apart from digest-view.ts so the sections
 * merge cleanly with other digest work.
 */
import type { EngineeringFigures } from '../digest/engineering-figures.js';
import type { TrackerKind } from '../ports/tracker-port.js';
import { formatDuration } from '../util/duration.js';
import { ticketLink } from './escalation-prompt.js';
import { TRACKER_NAME } from './handoff-views.js';
import { type Block, plain } from '../ports/message-view.js';

/**
 * Blocks for the digest (empty when no ticket waits on engineering).
 * @example engineeringDigestBlocks({ count: 1, items: [...] }) // [{ type: 'text', text: '**Waiting on engineering** (1)\n• T-1042 P1 · GitHub acme/app#12 (open) · 2d' }]
 */
export function engineeringDigestBlocks(e: EngineeringFigures | null | undefined): Block[] {
  if (!e) return [];
  const lines = e.items.map((w) => {
    const name = plain(`${TRACKER_NAME[w.tracker as TrackerKind] ?? w.tracker} ${w.issueKey}`);
    const issue = /^https?:\/\//.test(w.url) ? `[${name}](${w.url})` : name;
    return `• ${ticketLink(w.key)} ${plain(w.priority)} · ${issue} (${plain(w.stateLabel)}) · waiting ${formatDuration(Math.max(60_000, Math.round(w.waitingMs / 60_000) * 60_000))}`;
  });
  const more = e.count > e.items.length ? `\n…and ${e.count - e.items.length} more` : '';
  return [{ type: 'text', text: `**Waiting on engineering** (${e.count})\n${lines.join('\n')}${more}` }];
}
