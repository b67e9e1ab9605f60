/** `frontdesk digest [--channel C] [--date YYYY-MM-DD] [--weekly] [--json]`: preview the leads' digest in the terminal. */
import type { Command } from 'commander';
import { buildDigest } from '../digest/build-digest.js';
import { storeOnDatabase } from '../store/kysely/open-store.js';
import { digestZone, parseDigestChannel } from '../digest/digest-job.js';
import { digestPeriod, localDate } from '../digest/period.js';
import { digestView } from '../views/digest-view.js';
import { type MessageView, toPlainText } from '../ports/message-view.js';
import type { CliContext } from './context.js';

/** Plain-text rendering of a MessageView for a terminal (links as "label (url)", buttons listed). */
export function viewToText(view: MessageView): string {
  const out: string[] = [];
  for (const b of view.blocks) {
    if (b.type === 'header') out.push(toPlainText(b.text).toUpperCase());
    else if (b.type === 'text' || b.type === 'quote') out.push(toPlainText(b.text.replace(/\[([^\]]*)\]\(#[^)]*\)/g, '$1')));
    else if (b.type === 'fields') for (const f of b.fields) out.push(`${f.label}: ${toPlainText(f.value.replace(/\[([^\]]*)\]\(#[^)]*\)/g, '$1'))}`);
    else if (b.type === 'context') out.push(b.elements.map((e) => toPlainText(e.replace(/\[([^\]]*)\]\(#[^)]*\)/g, '$1'))).join(' · '));
    else if (b.type === 'divider') out.push('—'.repeat(40));
    else if (b.type === 'actions') out.push(`  [${b.elements.map((e) => (e.type === 'button' ? e.label : e.placeholder)).join('] [')}]`);
  }
  return out.join('\n');
}

/**
 * Register `frontdesk digest`. It reads the database and config only; nothing is posted.
 * @example registerDigestCommand(program, ctx); // frontdesk digest --date 2026-11-24 --json
 */
export function registerDigestCommand(program: Command, ctx: CliContext): void {
  program
    .command('digest')
    .description("preview the leads' digest (nothing is posted)")
    .option('--channel <id>', 'digest channel whose time zone to use (default: the first in digest.channels)')
    .option('--date <date>', 'the day the digest is for, YYYY-MM-DD (default: today)')
    .option('--weekly', 'the weekly summary instead of the daily digest')
    .option('--json', 'print the numbers and the ticket keys behind them as JSON')
    .action(async (o: { channel?: string; date?: string; weekly?: boolean; json?: boolean }) => {
      const config = ctx.config;
      const channel = o.channel ?? config.digest.channels[0];
      const zone = digestZone(config, channel === undefined ? undefined : parseDigestChannel(channel).channelId);
      const now = ctx.clock.now();
      const period = digestPeriod(o.weekly ? 'weekly' : 'daily', o.date ?? localDate(now, zone), zone, config.digest.weekdays);
      const db = ctx.getDb();
      const store = storeOnDatabase(db);
      const data = await buildDigest({ repos: store, db }, period, now, { targets: config.digest.targets }).finally(() => store.close());
      if (o.json) {
        ctx.out(
          JSON.stringify(
            {
              ...data,
              period: { ...data.period, fromIso: new Date(period.from).toISOString(), toIso: new Date(period.to).toISOString() },
              generatedAtIso: new Date(now).toISOString(),
            },
            null,
            2,
          ),
        );
        return;
      }
      ctx.out(viewToText(digestView(data)));
    });
}
