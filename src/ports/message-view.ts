/**
 * MessageView: the small platform-neutral UI vocabulary the core returns and every adapter
 * renders (Slack Block Kit, Teams Adaptive Cards, HTML in the local playground).
 *
 * Text in `text`, `context` and field values is "neutral markdown", written by the core:
 *   **bold**, _italic_, `code`, [label](https://url), <@userId> (a mention).
 * Anything typed by a person must go through {@link plain} before it is placed in such text,
 * so customer text can never inject formatting, links or mentions.
 */

export interface ButtonElement {
  type: 'button';
  /** Namespaced action id from src/views/action-ids.ts, e.g. `ticket.resolve`. */
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
  /** Only shown to agents (the renderer may still show it; the core re-checks permissions). */
  url?: string;
}

export interface SelectOption {
  label: string;
  value: string;
}

export interface SelectElement {
  type: 'select';
  actionId: string;
  placeholder: string;
  options: SelectOption[];
  /** Value of the initially selected option. */
  initial?: string;
}

export type ActionElement = ButtonElement | SelectElement;

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'context'; elements: string[] }
  | { type: 'actions'; blockId?: string; elements: ActionElement[] }
  | { type: 'quote'; text: string }
  | { type: 'divider' };

/**
 * Who may see a view. `customer` views (acknowledgements, agents' replies, CSAT, known answers)
 * may go to a customer-facing place; everything else is `internal` (cards, prompts, pings,
 * plans, drafts, model text). A view without an audience is internal: safe by default.
 */
export type Audience = 'customer' | 'internal';

export interface MessageView {
  /** Plain-text summary used for notifications and as a fallback. */
  text: string;
  blocks: Block[];
  /** Defaults to `internal`; see {@link Audience}. */
  audience?: Audience;
}

/** The audience of a view, `internal` unless it says otherwise. */
export function audienceOf(view: MessageView): Audience {
  return view.audience ?? 'internal';
}

export type FormField =
  | { type: 'text'; id: string; label: string; multiline?: boolean; initial?: string; optional?: boolean; maxLength?: number }
  | { type: 'select'; id: string; label: string; options: SelectOption[]; initial?: string; optional?: boolean }
  | { type: 'user'; id: string; label: string; initial?: string; optional?: boolean };

/** A modal/dialog form (Slack modal, Teams task module / card, local dialog). */
export interface FormView {
  /** Namespaced callback id, e.g. `form.create-ticket`. */
  formId: string;
  title: string;
  submitLabel: string;
  /** Opaque state handed back on submit (ticket id, channel, ...). */
  state: string;
  fields: FormField[];
}

const MARKUP_CHARS = /([*_`[\]<>\\])/g;

/**
 * Escape person-typed text for use inside neutral markdown: no bold, links or mentions survive.
 * @example plain('**free** <@U1>') // '\\*\\*free\\*\\* \\<@U1\\>'
 */
export function plain(s: string): string {
  return s.replace(MARKUP_CHARS, '\\$1');
}

/** A mention token in neutral markdown. */
export function mention(userId: string): string {
  return `<@${userId}>`;
}

export type MarkdownToken =
  | { t: 'text'; v: string }
  | { t: 'bold'; v: string }
  | { t: 'italic'; v: string }
  | { t: 'code'; v: string }
  | { t: 'link'; v: string; url: string }
  | { t: 'mention'; id: string };

const INLINE: { re: RegExp; make: (m: RegExpMatchArray) => MarkdownToken; wordStart?: boolean }[] = [
  { re: /^\*\*((?:\\.|[^*\\])+)\*\*/, make: (m) => ({ t: 'bold', v: unescapeMd(m[1]!) }) },
  { re: /^`([^`]+)`/, make: (m) => ({ t: 'code', v: m[1]! }) },
  { re: /^\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^\s)]+|#[^\s)]*)\)/, make: (m) => ({ t: 'link', v: unescapeMd(m[1]!), url: m[2]! }) },
  { re: /^<@([A-Za-z0-9._:@-]+)>/, make: (m) => ({ t: 'mention', id: m[1]! }) },
  { re: /^_((?:\\.|[^_\\])+)_/, make: (m) => ({ t: 'italic', v: unescapeMd(m[1]!) }), wordStart: true },
];

/**
 * Tokenise neutral markdown so every renderer applies the same rules.
 * Backslash escapes (from {@link plain}) become literal text.
 * @example tokenize('**T-1** for <@U1>') // [{t:'bold',v:'T-1'},{t:'text',v:' for '},{t:'mention',id:'U1'}]
 */
export function tokenize(md: string): MarkdownToken[] {
  const out: MarkdownToken[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', v: buf });
    buf = '';
  };
  let i = 0;
  while (i < md.length) {
    const c = md[i]!;
    if (c === '\\' && i + 1 < md.length) {
      buf += md[i + 1];
      i += 2;
      continue;
    }
    const rest = md.slice(i);
    const atWordStart = i === 0 || /\W/.test(md[i - 1]!);
    let matched = false;
    for (const rule of INLINE) {
      if (rule.wordStart && !atWordStart) continue;
      const m = rest.match(rule.re);
      if (!m) continue;
      flush();
      out.push(rule.make(m));
      i += m[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      buf += c;
      i += 1;
    }
  }
  flush();
  return out;
}

function unescapeMd(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Neutral markdown → plain text (for notifications / fallbacks). */
export function toPlainText(md: string, nameOf: (id: string) => string = (id) => id): string {
  return tokenize(md)
    .map((t) => (t.t === 'mention' ? `@${nameOf(t.id)}` : t.t === 'link' ? `${t.v} (${t.url})` : t.v))
    .join('');
}
