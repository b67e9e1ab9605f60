/**
 * `/ticket answer add|list|show|remove`: agents manage known answers from chat.
 *   answer add [CATEGORY] "Title" TEXT   — save an answer the agent writes
 *   answer add T-1042 "Title"            — save a resolved ticket's resolution note
 *   answer list [CATEGORY] · answer show ID · answer remove ID
 * Answers are the team's words: the ticket's own text (the customer's) is never used.
 */
import { InputInvalidError } from '../domain/errors.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Answer } from '../ports/store-knowledge.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { Block, MessageView } from '../ports/message-view.js';
import { plain } from '../ports/message-view.js';
import { notice } from '../views/ticket-views.js';
import type { CommandRegistry } from './command-registry.js';

export const ANSWER_USAGE = 'answer add [CATEGORY] "Title" TEXT | answer add T-1042 "Title" | answer list [CATEGORY] | answer show ID | answer remove ID';

const MAX_LISTED = 40;

function listView(answers: Answer[], category: string | null): MessageView {
  const blocks: Block[] = [{ type: 'header', text: `Known answers${category ? ` · ${category}` : ''} (${answers.length})` }];
  if (answers.length === 0) blocks.push({ type: 'context', elements: ['None yet. Add one with `answer add "Title" TEXT`, or put Markdown files in a folder listed under knowledge.paths.'] });
  const lines = answers.slice(0, MAX_LISTED).map((a) => `\`${plain(a.id)}\` ${plain(a.title)} — _${a.category ?? 'any category'}, ${a.source === 'folder' ? 'from a file' : 'saved in chat'}_`);
  if (lines.length) blocks.push({ type: 'text', text: lines.join('\n') });
  if (answers.length > MAX_LISTED) blocks.push({ type: 'context', elements: [`… and ${answers.length - MAX_LISTED} more; \`frontdesk knowledge list\` shows all.`] });
  return { text: `${answers.length} known answer(s)`, blocks };
}

function showView(a: Answer): MessageView {
  return {
    text: a.title,
    blocks: [
      { type: 'header', text: a.title },
      { type: 'quote', text: plain(a.body) },
      { type: 'context', elements: [`\`${plain(a.id)}\` · ${a.category ?? 'any category'} · ${a.source === 'folder' ? `file ${plain(a.path ?? '')}` : 'saved in chat'}`] },
    ],
  };
}

/** Parse `[CATEGORY] "Title" TEXT` (the title must be quoted). */
export function parseAddArgs(rest: string, categories: readonly string[]): { category: string | null; title: string; body: string } {
  const m = /^(?:([a-z][a-z0-9_]*)\s+)?(?:"([^"]+)"|'([^']+)'|“([^”]+)”)\s*([\s\S]*)$/.exec(rest.trim());
  if (!m) throw new InputInvalidError('Put the title in quotes, then the answer: `answer add billing "Download invoices" Go to Settings → Billing …`.');
  const category = m[1] ?? null;
  if (category && !categories.includes(category)) throw new InputInvalidError(`"${category}" is not a category. Use one of: ${categories.join(', ')} (or leave it out).`);
  return { category, title: (m[2] ?? m[3] ?? m[4])!.trim(), body: m[5]!.trim() };
}

/**
 * Register the `answer` subcommand (agents only).
 * @example registerAnswerSubcommand(core.commands, { kb, tickets: core.tickets })
 */
export function registerAnswerSubcommand(reg: CommandRegistry, deps: { kb: KnowledgeBase; tickets: TicketService }): void {
  const { kb, tickets } = deps;
  reg.register({
    name: 'answer',
    usage: ANSWER_USAGE,
    summary: 'known answers: add, list, show, remove',
    agentOnly: true,
    run: (args, ctx, raw) => {
      const sub = (args[0] ?? 'list').toLowerCase();
      const eph = (view: MessageView) => ({ view, visibility: 'ephemeral' as const });
      switch (sub) {
        case 'list': {
          const category = args[1]?.toLowerCase() ?? null;
          const all = kb.list();
          return eph(listView(category ? all.filter((a) => a.category === category) : all, category));
        }
        case 'show': {
          const a = args[1] ? kb.get(args[1]) : null;
          if (!a) throw new InputInvalidError(args[1] ? `There is no answer "${args[1]}". See \`answer list\`.` : 'Which answer? Give its id, e.g. `answer show reset-password`.');
          return eph(showView(a));
        }
        case 'remove': {
          if (!args[1]) throw new InputInvalidError('Which answer? Give its id, e.g. `answer remove reset-password`.');
          const a = kb.remove(args[1]);
          return eph(notice(`Removed the known answer **${plain(a.title)}** (\`${plain(a.id)}\`).`));
        }
        case 'add': {
          const rest = raw.replace(/^\s*answer\s+add\b/i, '');
          const ticketRef = /^\s*([A-Za-z]+-\d+)\s+/.exec(rest);
          if (ticketRef) {
            const t = tickets.require(ticketRef[1]!);
            const { title, body } = parseAddArgs(rest.slice(ticketRef[0].length), tickets.config.categories);
            if (body) throw new InputInvalidError(`To save ${t.key}'s resolution note, give only a title: \`answer add ${t.key} "Title"\`. To write the answer yourself, leave out the ticket id.`);
            const a = kb.saveFromTicket(t, tickets.repo.events(t.id), { title, by: ctx.userId });
            return eph(notice(`Saved ${t.key}'s resolution note as the known answer **${plain(a.title)}** (\`${plain(a.id)}\`, ${a.category ?? 'any category'}).`));
          }
          const { category, title, body } = parseAddArgs(rest, tickets.config.categories);
          if (!body) throw new InputInvalidError('Write the answer after the title: `answer add "Title" the steps that solve it`.');
          const a = kb.save({ title, body, category, by: ctx.userId });
          return eph(notice(`Saved the known answer **${plain(a.title)}** (\`${plain(a.id)}\`, ${a.category ?? 'any category'}).`));
        }
        default:
          throw new InputInvalidError(`"${sub}" is not an answer command. Use add, list, show or remove.`);
      }
    },
  });
}
