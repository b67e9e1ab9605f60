/**
 * The body of an engineering issue made from a ticket (pure: strings in, Markdown out). It is
 * what the engineer gets, so it answers the questions they would otherwise ask: what is broken,
 * for how many customers and since when, how to reproduce it and on what, the errors seen, what
 * the analyst would check, and where the team talks about it (the INTERNAL thread, never the
 * customer's). It never carries the customer's personal data: text is redacted (e-mails, phones,
 * cards, keys, configured patterns) and scrubbed of the names and ids of the people involved;
 * the requester appears only as a tier. The agent sees and may edit all of it before it is sent.
 */
import { randomBytes } from 'node:crypto';
import { groundingNote } from '../ai/case-data.js';
import { createRedactor, type Redactor } from '../ai/redact.js';
import type { Priority } from '../domain/types.js';
import { shorten } from '../util/text.js';

/** Longest body, in characters (Slack's modal text input holds 3,000; the preview shows it all). */
export const MAX_BODY = 2_900;
/** Longest title, in characters (GitHub allows 256). */
export const MAX_TITLE = 200;
const MAX_STEPS = 12;
const MAX_ENV = 8;
const MAX_LOG_LINES = 25;
const MAX_LOG_CHARS = 900;
const MAX_SUMMARY = 500;
const MAX_CHECKS = 5;

/** One ticket counted in the customer impact (the one escalated and those linked or similar to it). */
export interface ImpactTicket {
  key: string;
  /** Only used to count distinct customers; never written into the body. */
  requesterId: string;
  createdAt: number;
}

export interface IssueBodyInput {
  ticket: { key: string; title: string; text: string; category: string; priority: Priority };
  /** Later messages of the ticket's thread (customer and agent), oldest first. */
  thread: readonly string[];
  /** The escalated ticket first, then linked or similar tickets. */
  impact: readonly ImpactTicket[];
  /** The requester's plan tier (config.customerTiers), and whether they are a VIP. */
  tier: string;
  vip: boolean;
  /** The handling plan's analyst checks, when a plan exists. */
  checks: readonly string[];
  /** Link to the ticket's internal thread, or null when there is none (inline mode). */
  internalLink: string | null;
  /** Names and ids of the people involved (requester, message authors): scrubbed from every text. */
  people: readonly (string | null | undefined)[];
  /** IANA zone for "since when". */
  timezone: string;
  redactor?: Redactor;
}

export interface IssueDraft {
  title: string;
  body: string;
}

const builtIn = createRedactor();

/** Redacted, names and mentions replaced, sign-offs dropped. */
export function scrub(text: string, people: readonly (string | null | undefined)[], redactor: Redactor = builtIn): string {
  // A sign-off names the writer: "Thanks,\nAlex" / "Best regards, Alex Kim".
  const noSignOff = text.replace(
    /^([ \t]*(?:[Kk]ind |[Bb]est |[Ww]arm )?(?:[Rr]egards|[Bb]est|[Cc]heers|[Tt]hanks|[Tt]hank you|[Ss]incerely|BR)),?[ \t]*\n?[ \t]*\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+)?[ \t]*$/gmu,
    '$1',
  );
  return groundingNote(noSignOff, people, redactor);
}

const STEP_HEADING = /^\s*(?:#+\s*)?(?:steps?\s+to\s+reproduce|to\s+reproduce|repro(?:duction)?(?:\s+steps)?|how\s+to\s+reproduce)\s*:?\s*(.*)$/i;
const NUMBERED = /^\s*(?:step\s*)?(\d{1,2})[.):]\s+(.+)$/i;
const BULLET = /^\s*[-*•]\s+(.+)$/;
const EXPECTED = /^\s*(expected|actual)(?:\s+(?:result|behaviou?r))?\s*[:—-]\s*(.+)$/i;

/** A steps label inside a line ("…fails. Steps: 1. open settings 2. click save"); the colon is required. */
const INLINE_HEADING = /(?<!\bnext\s)\b(?:steps?(?:\s+to\s+reproduce)?|to\s+reproduce|repro(?:duction)?(?:\s+steps)?|how\s+to\s+reproduce)\s*:\s*(.*)$/i;
/** "1. " / "2) " inside a line, after its start or a space. */
const INLINE_NUMBER = /(?:^|\s)(\d{1,2})[.)]\s+/g;
/** ", then " / "; " / " -> " / " → " between steps written in one sentence. */
const THEN = /\s*(?:[,;]\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|;|->|→|=>)\s*/i;

/**
 * One line's steps written inline: "1. open settings 2. click save 3. see error" (numbers in
 * sequence) → three steps; with `sentence`, also "open X, then click Y, then Z" → three steps.
 * Null when the line is one step.
 */
function inlineSteps(text: string, sentence: boolean): string[] | null {
  const marks: { at: number; end: number }[] = [];
  let expect = 0;
  for (const m of text.matchAll(INLINE_NUMBER)) {
    const n = Number(m[1]);
    if (marks.length === 0 ? n === 1 || m.index === 0 : n === expect) {
      marks.push({ at: m.index!, end: m.index! + m[0].length });
      expect = n + 1;
    }
  }
  if (marks.length >= 2) {
    const parts = marks.map((k, i) => text.slice(k.end, marks[i + 1]?.at ?? text.length).trim().replace(/[,;]$/, '').trim());
    return parts.filter(Boolean);
  }
  if (!sentence) return null;
  const parts = text.split(new RegExp(THEN.source, 'gi')).map((p) => p.trim().replace(/[.,;]$/, '').trim()).filter(Boolean);
  return parts.length >= 2 ? parts : null;
}

/**
 * Reproduction steps from a text: numbered lines, the lines under a "steps to reproduce"
 * heading, steps written in one line after a label ("Steps: 1. open settings 2. click save",
 * "to reproduce: open X, then click Y, then Z"), and "expected:"/"actual:" lines. In the order
 * they appear, without duplicates.
 * @example reproSteps('1. open /checkout\n2. pay with card') // ['open /checkout', 'pay with card']
 */
export function reproSteps(text: string): { steps: string[]; expected: string[] } {
  const steps: string[] = [];
  const expected: string[] = [];
  let under = false;
  let inCode = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    const h = STEP_HEADING.exec(line) ?? INLINE_HEADING.exec(line);
    if (h) {
      const rest = h[1]?.trim() ?? '';
      const inline = rest ? inlineSteps(rest, true) : null;
      if (inline) steps.push(...inline);
      else if (rest) steps.push(rest);
      // A list written in the line is complete; a bare label (or one step) heads the lines below.
      under = !inline;
      continue;
    }
    const e = EXPECTED.exec(line);
    if (e) {
      expected.push(`${e[1]![0]!.toUpperCase()}${e[1]!.slice(1).toLowerCase()}: ${e[2]!.trim()}`);
      continue;
    }
    const n = NUMBERED.exec(line);
    if (n) {
      steps.push(...(inlineSteps(line.trim(), false) ?? [n[2]!.trim()]));
      continue;
    }
    if (under) {
      if (!line.trim()) {
        under = false;
        continue;
      }
      const b = BULLET.exec(line);
      steps.push((b ? b[1]! : line).trim());
    }
  }
  return { steps: [...new Set(steps)], expected: [...new Set(expected)] };
}

const ENV_KEY = /^\s*[-*•]?\s*(browser|os|operating system|platform|device|version|app version|build|release|environment|env|region|plan|sdk|client|runtime|node|python|java)\s*[:=]\s*(.+)$/i;
const ENV_NAMES =
  /\b(chrome|chromium|firefox|safari|edge|opera|brave|windows(?:\s+\d+)?|mac\s?os(?:\s+x)?|os\s+x|ios|ipados|android|linux|ubuntu|debian|fedora|iphone|ipad|pixel|samsung)\b[^\n]{0,40}?\d+(?:\.\d+)*/i;
const VERSION = /\b(?:v(?:ersion)?\s*)\d+\.\d+(?:\.\d+)?\b/i;

/**
 * A long prose line (a chat message is often one paragraph) cut into its sentences, so an
 * environment or error excerpt is the sentence that has it, not the whole message again.
 */
function sentencesOf(line: string): string[] {
  if (line.length <= 160) return [line];
  return line.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).map((x) => x.trim()).filter(Boolean);
}

/**
 * Environment lines: `browser: …`/`OS: …`/`version: …` lines, and lines naming a browser, OS or
 * device with a version number ("Chrome 120 on macOS 14.2").
 * @example environmentLines('Browser: Firefox 121\nit fails') // ['Browser: Firefox 121']
 */
export function environmentLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('```')) continue;
    const k = ENV_KEY.exec(line);
    if (k) {
      out.push(`${k[1]!.charAt(0).toUpperCase()}${k[1]!.slice(1)}: ${k[2]!.trim()}`);
      continue;
    }
    for (const part of sentencesOf(line)) if (ENV_NAMES.test(part) || (VERSION.test(part) && part.length <= 160)) out.push(part.replace(/^[-*•]\s*/, ''));
  }
  return [...new Set(out)];
}

const STACK = /^\s+at\s+\S|^\s*at\s+[\w$.<>]+\s*\(|^Traceback \(most recent call last\)|^\s*File ".+", line \d+|^\s*Caused by:/;
const ERROR_LINE =
  /\b[A-Z][A-Za-z]*(?:Error|Exception)\b|\b(?:error|err|fatal|panic|exception)\b\s*[:=#]|\b(?:HTTP|status|error|code)\s*[:#]?\s*[45]\d\d\b|\b[45]\d\d\s+(?:bad gateway|internal server error|service unavailable|gateway timeout|not found|forbidden|unauthorized|bad request|too many requests)\b|\berror code\b/i;
/** Error codes: ERR_CONNECTION_RESET, E1042, PAY-5021 (case-sensitive). */
const ERROR_CODE = /\bERR_[A-Z0-9_]{2,}\b|\bE\d{3,}\b|\b[A-Z]{2,}[-_]\d{3,}\b/;

/**
 * Log and error excerpts: the contents of code blocks, stack-trace lines and lines with error
 * names or codes ("TypeError: …", "HTTP 502", "ERR_CONNECTION_RESET"). Not yet redacted.
 * @example logExcerpts('it broke\n```\nTypeError: x is undefined\n```') // ['TypeError: x is undefined']
 */
export function logExcerpts(text: string): string[] {
  const out: string[] = [];
  let inCode = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      if (line.trim()) out.push(line.replace(/\s+$/, ''));
      continue;
    }
    if (STACK.test(line)) out.push(line.trim());
    else for (const part of sentencesOf(line.trim())) if (ERROR_LINE.test(part) || ERROR_CODE.test(part)) out.push(part);
  }
  return [...new Set(out)];
}

function fmtSince(ms: number, zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(ms);
    const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')}`;
  } catch {
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  }
}

/** One line: no newlines, no Markdown heading or list marker at its start, capped. */
function oneLine(s: string, max: number, redactor: Redactor): string {
  return shorten(s.replace(/\s+/g, ' ').trim(), max, '…', redactor);
}

/** Backticks that would close the fence are broken up. */
function fenceSafe(s: string): string {
  return s.replace(/```/g, "'''");
}

/**
 * The issue title and body for a ticket. Every text is scrubbed (see {@link scrub}); sections
 * without content are left out; the body stays within {@link MAX_BODY}.
 * @example issueDraft({ ticket, thread: [], impact: [{ key: 'T-1', requesterId: 'U1', createdAt }], tier: 'standard', vip: false, checks: [], internalLink: null, people: [], timezone: 'UTC' }).body.startsWith('## Summary')
 */
export function issueDraft(input: IssueBodyInput): IssueDraft {
  const redactor = input.redactor ?? builtIn;
  const clean = (s: string) => scrub(s, input.people, redactor);
  const t = input.ticket;
  const title = shorten(clean(t.title).replace(/\s+/g, ' ').trim() || `${t.category} reported in ${t.key}`, MAX_TITLE, '…', redactor);

  const request = clean(t.text);
  const all = [request, ...input.thread.map(clean)];

  const sections: { text: string }[] = [];
  // Summary: the request's opening, before any steps or logs.
  const opening = openingOf(request);
  sections.push({
    text: `## Summary\n${oneLine(opening || title, MAX_SUMMARY, redactor)}\n\n_${t.category.replace(/_/g, ' ')} · ${t.priority} · from frontdesk ticket ${t.key}_`,
  });

  const keys = [...new Set(input.impact.map((i) => i.key))];
  const customers = new Set(input.impact.map((i) => i.requesterId)).size;
  const since = input.impact.length ? Math.min(...input.impact.map((i) => i.createdAt)) : null;
  const impact = [
    `- **Reports:** ${keys.length} ticket${keys.length === 1 ? '' : 's'} from ${customers} customer${customers === 1 ? '' : 's'}${keys.length > 1 ? ` (${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''})` : ''}`,
    `- **Requester tier:** ${input.tier}${input.vip ? ' (VIP)' : ''}`,
    ...(since !== null ? [`- **Since:** ${fmtSince(since, input.timezone)} (earliest report)`] : []),
    `- **Support priority:** ${t.priority}`,
  ];
  sections.push({ text: `## Customer impact\n${impact.join('\n')}` });

  const steps: string[] = [];
  const expected: string[] = [];
  for (const text of all) {
    const r = reproSteps(text);
    steps.push(...r.steps);
    expected.push(...r.expected);
  }
  const uSteps = [...new Set(steps)].slice(0, MAX_STEPS);
  const uExpected = [...new Set(expected)].slice(0, 4);
  if (uSteps.length || uExpected.length)
    sections.push({
      text: `## Steps to reproduce\n${[...uSteps.map((s, i) => `${i + 1}. ${oneLine(s, 200, redactor)}`), ...uExpected.map((e) => `- ${oneLine(e, 200, redactor)}`)].join('\n')}`,
    });
  else sections.push({ text: '## Steps to reproduce\n_None in the thread yet: add them here if you know them._' });

  const env = [...new Set(all.flatMap(environmentLines))].slice(0, MAX_ENV);
  if (env.length) sections.push({ text: `## Environment\n${env.map((e) => `- ${oneLine(e, 160, redactor)}`).join('\n')}` });

  const logs = [...new Set(all.flatMap(logExcerpts))].slice(0, MAX_LOG_LINES);
  if (logs.length) {
    const excerpt = shorten(logs.map((l) => fenceSafe(l.length > 240 ? shorten(l, 240, '…', redactor) : l)).join('\n'), MAX_LOG_CHARS, '\n… (cut)', redactor);
    sections.push({ text: `## Logs and errors (redacted)\n\`\`\`\n${excerpt}\n\`\`\`` });
  }

  const checks = input.checks.map((c) => clean(c)).filter((c) => c.trim()).slice(0, MAX_CHECKS);
  if (checks.length) sections.push({ text: `## Analyst checks (handling plan)\n${checks.map((c) => `- [ ] ${oneLine(c, 240, redactor)}`).join('\n')}` });

  const footer = input.internalLink
    ? `## Internal thread\n[${t.key} in frontdesk](${input.internalLink}) — where support works this ticket. Customer details stay there.`
    : `## Internal thread\nfrontdesk ticket ${t.key} (\`/ticket show ${t.key}\`). Customer details stay in frontdesk.`;

  return { title, body: assemble(sections.map((s) => s.text), footer, redactor) };
}

/** The request's first lines, up to a blank line, steps, a list, expected/actual or a code block. */
function openingOf(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || /^\s*```/.test(line) || STEP_HEADING.test(line) || NUMBERED.test(line) || BULLET.test(line) || EXPECTED.test(line)) break;
    // "…fails when saving. Steps: 1. …": the opening ends where the steps start.
    const inline = INLINE_HEADING.exec(line);
    if (inline) {
      const before = line.slice(0, inline.index).trim();
      if (before) out.push(before);
      break;
    }
    out.push(line.trim());
  }
  return out.join(' ');
}

/** Join sections within MAX_BODY, always keeping the footer (the link back); long sections are cut. */
function assemble(sections: string[], footer: string, redactor: Redactor): string {
  const budget = MAX_BODY - footer.length - 2;
  const out: string[] = [];
  let used = 0;
  for (const s of sections) {
    const room = budget - used - (out.length ? 2 : 0);
    if (room <= 40) break;
    const piece = s.length <= room ? s : cutSection(s, room, redactor);
    out.push(piece);
    used += piece.length + (out.length > 1 ? 2 : 0);
  }
  return [...out, footer].join('\n\n');
}

/** Cut a section to `room` characters, closing a code fence it leaves open. */
function cutSection(s: string, room: number, redactor: Redactor): string {
  const fenced = s.includes('```');
  const cut = shorten(s, room - (fenced ? 5 : 0), '\n…', redactor);
  const open = (cut.match(/```/g) ?? []).length % 2 === 1;
  return open ? `${cut}\n\`\`\`` : cut;
}

export interface FollowUpBodyInput {
  ticket: { key: string; title: string; category: string; priority: Priority };
  followUp: { title: string; acceptanceCriteria: readonly string[] };
  internalLink: string | null;
  people: readonly (string | null | undefined)[];
  redactor?: Redactor;
}

/**
 * The issue for a handling plan's follow-up (product-manager stage): scope and acceptance criteria.
 * @example followUpDraft({ ticket, followUp: { title: 'Document SSO setup', acceptanceCriteria: ['A page exists'] }, internalLink: null, people: [] }).body
 */
export function followUpDraft(input: FollowUpBodyInput): IssueDraft {
  const redactor = input.redactor ?? builtIn;
  const clean = (s: string) => scrub(s, input.people, redactor);
  const f = input.followUp;
  const t = input.ticket;
  const title = shorten(clean(f.title).replace(/\s+/g, ' ').trim(), MAX_TITLE, '…', redactor);
  const criteria = f.acceptanceCriteria.map((a) => clean(a)).filter((a) => a.trim());
  const sections = [
    `## Scope\n${oneLine(clean(f.title), 300, redactor)}\n\nFollow-up from frontdesk ticket ${t.key} (${t.category.replace(/_/g, ' ')}, ${t.priority}): "${oneLine(clean(t.title), 200, redactor)}". Proposed by the handling plan's follow-through stage and approved by an agent.`,
    `## Acceptance criteria\n${criteria.length ? criteria.map((a) => `- [ ] ${oneLine(a, 300, redactor)}`).join('\n') : '- [ ] (to be agreed)'}`,
  ];
  const footer = input.internalLink
    ? `## Internal thread\n[${t.key} in frontdesk](${input.internalLink})`
    : `## Internal thread\nfrontdesk ticket ${t.key} (\`/ticket show ${t.key}\`)`;
  return { title, body: assemble(sections, footer, redactor) };
}

/**
 * A new hand-off id, written into the issue body so the issue can be found again when frontdesk
 * stopped between "created in the tracker" and "linked in the database". One word of letters and
 * digits so every tracker's search finds it whole.
 * @example newHandoffRef() // "fdh3a9c0e12b7e4"
 */
export function newHandoffRef(): string {
  return `fdh${randomBytes(6).toString('hex')}`;
}

/**
 * The body with its hand-off id: an invisible HTML comment on GitHub (like its `<!-- frontdesk -->`
 * marker); a last plain line on Jira and Linear, whose editors drop HTML comments.
 * @example withHandoffRef('jira', 'Body', 'fdh3a9c0e12b7e4') // "Body\n\nfrontdesk ref: fdh3a9c0e12b7e4"
 */
export function withHandoffRef(tracker: 'github' | 'jira' | 'linear', body: string, ref: string): string {
  return tracker === 'github' ? `${body}\n\n<!-- frontdesk ref: ${ref} -->` : `${body}\n\nfrontdesk ref: ${ref}`;
}
