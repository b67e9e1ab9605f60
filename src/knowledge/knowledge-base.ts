/**
 * The knowledge base the team owns: answers read from Markdown folders (refreshed when files
 * change: mtime and size first, then a content hash), answers agents save in chat, and answers
 * saved from a resolved ticket's resolution note. Never the customer's words.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { redact } from '../ai/redact.js';
import { InputInvalidError } from '../domain/errors.js';
import type { TicketEvent } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { Db } from '../store/db.js';
import { type Answer, type FileState, publicAnswer } from '../ports/store-knowledge.js';
import { KnowledgeRepo } from '../store/knowledge-repo.js';
import { answerTerms } from './terms.js';
import { ANSWER_ID_RE, type AnswerDraft, KnowledgeFileInvalidError, MAX_ANSWER_CHARS, parseAnswerFile, slugify } from './markdown-answers.js';

/** What one folder refresh did. */
export interface SyncReport {
  root: string;
  files: number;
  added: string[];
  updated: string[];
  removed: string[];
  /** Files whose (new) content could not be used; their previous answers were kept. */
  problems: { file: string; message: string }[];
}

/** An answer an agent saves (in chat, the CLI, or from a resolved ticket). */
export interface SaveAnswerInput {
  title: string;
  body: string;
  category?: string | null;
  tags?: string[];
  /** Defaults to the title's slug (made unique). */
  id?: string;
  by: string;
  ticketId?: number | null;
}

/** The bits of a ticket saving its resolution needs (TicketService.require(…) fits). */
export interface ResolvedTicketLike {
  id: number;
  key: string;
  status: string;
  category: string;
}

export interface KnowledgeBaseOptions {
  clock: Clock;
  /** The category taxonomy; answers with another category are refused. */
  categories: readonly string[];
}

/** Max files read from one folder (a guard against pointing at the wrong directory). */
export const MAX_FILES_PER_FOLDER = 5000;

function listMarkdown(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name.startsWith('_') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(md|markdown)$/i.test(e.name)) out.push(relative(root, p).split(sep).join('/'));
      if (out.length > MAX_FILES_PER_FOLDER)
        throw new InputInvalidError(`${root} has more than ${MAX_FILES_PER_FOLDER} Markdown files; point knowledge.paths at the folder of answers only`);
    }
  };
  walk(root);
  return out;
}

/**
 * The latest resolution note of a ticket: the agent's note written with (or after) its last
 * move to resolved. Customer messages are never events, so this is always the team's words.
 */
export function resolutionNote(events: readonly TicketEvent[]): { text: string; by: string } | null {
  let resolvedAt = -1;
  for (const e of events) if (e.type === 'status_changed' && e.data.to === 'resolved') resolvedAt = e.id;
  if (resolvedAt < 0) return null;
  let note: { text: string; by: string } | null = null;
  // `resolution_note`: the resolution-note form or `/ticket resolve ID note`; `note`: any note written after it.
  for (const e of events)
    if (e.id > resolvedAt && (e.type === 'resolution_note' || e.type === 'note') && typeof e.data.text === 'string' && e.data.text.trim()) note = { text: e.data.text.trim(), by: e.actor };
  return note;
}

/**
 * Known answers in the store.
 * @example
 * const kb = new KnowledgeBase(db, { clock, categories: config.categories });
 * kb.syncFolder('docs/knowledge'); kb.list().length
 */
export class KnowledgeBase {
  readonly repo: KnowledgeRepo;

  constructor(
    readonly db: Db,
    private readonly opts: KnowledgeBaseOptions,
  ) {
    this.repo = new KnowledgeRepo(db, answerTerms);
  }

  get(id: string): Answer | null {
    const a = this.repo.get(id);
    return a ? publicAnswer(a) : null;
  }

  list(): Answer[] {
    return this.repo.list().map(publicAnswer);
  }

  /**
   * Read a folder of Markdown answers into the store, re-reading only files whose mtime or size
   * changed (and re-indexing only those whose content hash changed). Answers of deleted files
   * are removed. A bad file is reported and keeps its previous answers. One transaction.
   * @throws InputInvalidError when the folder does not exist.
   */
  syncFolder(dir: string): SyncReport {
    const root = resolve(dir);
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new InputInvalidError(`knowledge folder ${dir} does not exist or is not a directory; fix knowledge.paths or the path you gave`);
    const paths = listMarkdown(root);
    const now = this.opts.clock.now();
    const report: SyncReport = { root, files: paths.length, added: [], updated: [], removed: [], problems: [] };
    this.repo.tx(() => {
      const known = this.repo.files(root);
      for (const path of paths) {
        const full = join(root, path);
        const st = statSync(full);
        const prev = known.get(path);
        known.delete(path);
        if (prev && prev.mtimeMs === Math.trunc(st.mtimeMs) && prev.size === st.size) {
          if (prev.problem) report.problems.push({ file: full, message: prev.problem });
          continue;
        }
        const text = readFileSync(full, 'utf8');
        const hash = createHash('sha256').update(text).digest('hex');
        const state: FileState = { path, mtimeMs: Math.trunc(st.mtimeMs), size: st.size, hash, problem: null };
        if (prev && prev.hash === hash && !prev.problem) {
          this.repo.putFile(root, state);
          continue;
        }
        try {
          this.applyFile(root, path, parseAnswerFile(text, full), now, report);
        } catch (e) {
          if (!(e instanceof KnowledgeFileInvalidError || e instanceof InputInvalidError)) throw e;
          state.problem = e.message.startsWith(full) ? e.message.slice(full.length + 2) : e.message;
          report.problems.push({ file: full, message: state.problem });
        }
        this.repo.putFile(root, state);
      }
      for (const gone of known.keys()) {
        for (const a of this.repo.ofFile(root, gone)) report.removed.push(a.id);
        this.repo.deleteFile(root, gone);
      }
    });
    return report;
  }

  /** Replace one file's answers (validated first, so a bad file changes nothing). */
  private applyFile(root: string, path: string, drafts: AnswerDraft[], now: number, report: SyncReport): void {
    const seen = new Set<string>();
    for (const d of drafts) {
      if (seen.has(d.id)) throw new InputInvalidError(`two answers have the id "${d.id}"; give the sections different headings`);
      seen.add(d.id);
      this.checkCategory(d.category);
      const other = this.repo.get(d.id);
      if (other && !(other.root === root && other.path === path))
        throw new InputInvalidError(`the id "${d.id}" is already used by ${other.source === 'folder' ? `${join(other.root ?? '', other.path ?? '')}` : 'an answer saved in chat'}; set a different "id:" in the front matter`);
    }
    const before = new Map(this.repo.ofFile(root, path).map((a) => [a.id, a]));
    for (const d of drafts) {
      const old = before.get(d.id);
      before.delete(d.id);
      if (old && old.title === d.title && old.body === d.body && old.category === d.category && old.tags.join('\n') === d.tags.join('\n')) continue;
      this.repo.put({ ...d, source: 'folder', root, path }, now);
      (old ? report.updated : report.added).push(d.id);
    }
    for (const gone of before.keys()) {
      this.repo.delete(gone);
      report.removed.push(gone);
    }
  }

  private checkCategory(category: string | null | undefined): void {
    if (category && !this.opts.categories.includes(category))
      throw new InputInvalidError(`unknown category "${category}"; known categories: ${this.opts.categories.join(', ')}`);
  }

  /**
   * Save an answer an agent wrote. The id defaults to the title's slug, made unique.
   * @throws InputInvalidError for an empty title/body, an unknown category, a taken id, or a chat mention in the text.
   */
  save(input: SaveAnswerInput): Answer {
    const title = input.title.replace(/\s+/g, ' ').trim();
    const body = input.body.trim();
    if (!title) throw new InputInvalidError('An answer needs a title, e.g. "How to reset your password".');
    if (!body) throw new InputInvalidError('An answer needs text: the steps that solve the problem.');
    if (title.length > 200) throw new InputInvalidError('Keep the title under 200 characters.');
    if (body.length > MAX_ANSWER_CHARS) throw new InputInvalidError(`The answer is ${body.length} characters; keep it under ${MAX_ANSWER_CHARS}.`);
    if (/<[@!][^>\s]*>/.test(`${title} ${body}`)) throw new InputInvalidError('An answer is shown to customers: leave out @mentions of people.');
    this.checkCategory(input.category);
    return this.repo.tx(() => {
      let id = input.id;
      if (id !== undefined) {
        if (!ANSWER_ID_RE.test(id) || id.includes('#')) throw new InputInvalidError(`"${id}" is not a usable answer id; use letters, digits, ".", "-" and "_"`);
        if (this.repo.get(id)) throw new InputInvalidError(`there is already an answer "${id}"; remove it first or choose another id`);
      } else {
        const base = slugify(title);
        id = base;
        for (let n = 2; this.repo.get(id); n++) id = `${base}-${n}`;
      }
      this.repo.put({ id, title, body, category: input.category ?? null, tags: input.tags ?? [], source: 'saved', ticketId: input.ticketId ?? null, createdBy: input.by }, this.opts.clock.now());
      return this.get(id)!;
    });
  }

  /**
   * Save a resolved ticket's resolution note as a known answer (the "Save as known answer"
   * action). The title comes from the agent, never from the ticket (that is the customer's
   * words); the category is the ticket's. A note with personal data or secrets is refused.
   * @throws InputInvalidError when the ticket is not resolved, has no resolution note, or the note has personal data.
   */
  saveFromTicket(ticket: ResolvedTicketLike, events: readonly TicketEvent[], opts: { title: string; by: string; tags?: string[] }): Answer {
    if (ticket.status !== 'resolved' && ticket.status !== 'closed')
      throw new InputInvalidError(`${ticket.key} is not resolved yet; resolve it with a note (\`resolve ${ticket.key} what fixed it\`), then save the note.`);
    const note = resolutionNote(events);
    if (!note) throw new InputInvalidError(`${ticket.key} has no resolution note. Add one (\`note ${ticket.key} the steps that fixed it\`) and save again.`);
    const found = redact(note.text);
    if (found.total > 0)
      throw new InputInvalidError(
        `The resolution note of ${ticket.key} contains ${Object.keys(found.counts).join(', ')} details, which must not reach other customers. Write the answer without them: \`answer add "${opts.title}" TEXT\`.`,
      );
    return this.save({ title: opts.title, body: note.text, category: this.opts.categories.includes(ticket.category) ? ticket.category : null, tags: opts.tags, by: opts.by, ticketId: ticket.id });
  }

  /**
   * Remove a saved answer. Folder answers are refused: edit or delete the file instead (a
   * refresh would bring them back).
   */
  remove(id: string): Answer {
    const a = this.repo.get(id);
    if (!a) throw new InputInvalidError(`there is no answer "${id}"; list them with \`knowledge list\``);
    if (a.source === 'folder')
      throw new InputInvalidError(`"${id}" comes from ${join(a.root ?? '', a.path ?? '')}; delete or edit that file instead (the next refresh picks it up)`);
    this.repo.delete(id);
    return publicAnswer(a);
  }
}
