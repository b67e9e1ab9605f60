/**
 * The local playground's renderer: the core's MessageView and FormView → HTML fragments.
 * It is the playground's counterpart of Slack's Block Kit and Teams' Adaptive Card renderers,
 * and the only place the playground turns bot output into markup (the browser inserts
 * these fragments as they are).
 *
 * Every piece of text is escaped with `escape-html` — a small, well-kept package that
 * express itself uses — because customer text can contain markup. Neutral markdown (in
 * text, context and field values) goes through the core's `tokenize`, so the same rules
 * apply as on every other platform; headers, quotes and labels are plain text.
 */
import escapeHtml from 'escape-html';
import type { LocalMessage } from './playground-store.js';
import type { ActionElement, Block, FormField, FormView, MarkdownToken, MessageView } from '../../src/ports/message-view.js';
import { tokenize } from '../../src/ports/message-view.js';

export interface RenderContext {
  /** Display name of a user id (mentions, authors). */
  nameOf(userId: string): string;
  /** People offered by "user" form fields. */
  people?: readonly { id: string; name: string }[];
}

/** Emoji short codes the core and its features write (":warning:") → the emoji itself. */
const EMOJI: Record<string, string> = {
  warning: '⚠️',
  rotating_light: '🚨',
  eyes: '👀',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  ticket: '🎫',
  fire: '🔥',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  stopwatch: '⏱️',
  bell: '🔔',
  memo: '📝',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  sparkles: '✨',
  robot_face: '🤖',
  clipboard: '📋',
  mag: '🔍',
  zzz: '💤',
  thumbsup: '👍',
  '+1': '👍',
  x: '❌',
  information_source: 'ℹ️',
  sunrise: '🌅',
  calendar: '📅',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  link: '🔗',
  pushpin: '📌',
  sos: '🆘',
  speech_balloon: '💬',
  wave: '👋',
  tada: '🎉',
  inbox_tray: '📥',
  construction: '🚧',
  snail: '🐌',
  lock: '🔒',
  moneybag: '💰',
  bulb: '💡',
};

/** The emoji for a short code name (without colons), or null when unknown. */
export function emojiFor(name: string): string | null {
  return EMOJI[name] ?? null;
}

const esc = (s: string): string => escapeHtml(s);

/** Escaped plain text, with :short_codes: shown as emoji and line breaks kept. */
function textHtml(s: string, emoji: boolean): string {
  let out = esc(s);
  if (emoji) out = out.replace(/:([a-z0-9_+-]{1,40}):/g, (whole, name: string) => EMOJI[name] ?? whole);
  return out.replace(/\r?\n/g, '<br>');
}

/** Only http(s) and in-page links become links; anything else (javascript:, data:) is dropped. */
function safeUrl(url: string): string | null {
  return /^https?:\/\/[^\s]+$/i.test(url) || /^#[^\s]*$/.test(url) ? url : null;
}

/**
 * Neutral markdown → HTML: **bold**, _italic_, `code`, [label](url), <@user>.
 * @example renderMarkdown('**T-1** for <@dana>', ctx) // '<strong>T-1</strong> for <span class="mention" ...>@Dana</span>'
 */
export function renderMarkdown(md: string, ctx: RenderContext): string {
  return tokenize(md).map((t) => renderToken(t, ctx)).join('');
}

function renderToken(t: MarkdownToken, ctx: RenderContext): string {
  switch (t.t) {
    case 'text':
      return textHtml(t.v, true);
    case 'bold':
      return `<strong>${textHtml(t.v, true)}</strong>`;
    case 'italic':
      return `<em>${textHtml(t.v, true)}</em>`;
    case 'code':
      return `<code>${esc(t.v)}</code>`;
    case 'link': {
      const url = safeUrl(t.url);
      if (!url) return esc(t.v);
      // In-page links (e.g. "#ticket/T-1042") are handled by the page: they open the ticket's thread.
      return url.startsWith('#')
        ? `<a href="${esc(url)}" class="mv-link-internal">${esc(t.v)}</a>`
        : `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer nofollow">${esc(t.v)}</a>`;
    }
    case 'mention':
      return `<span class="mention" data-user-id="${esc(t.id)}">@${esc(ctx.nameOf(t.id))}</span>`;
  }
}

/** What a person typed: shown literally (no markup, no markdown), line breaks kept. */
export function renderPersonText(text: string): string {
  return textHtml(text, false);
}

function renderElement(e: ActionElement): string {
  if (e.type === 'button') {
    const cls = `mv-btn${e.style ? ` mv-btn-${e.style}` : ''}`;
    const url = e.url ? safeUrl(e.url) : null;
    if (url) return `<a class="${cls}" href="${esc(url)}" target="_blank" rel="noopener noreferrer nofollow">${esc(e.label)}</a>`;
    return `<button type="button" class="${cls}" data-action-id="${esc(e.actionId)}" data-value="${esc(e.value)}">${esc(e.label)}</button>`;
  }
  const hasInitial = e.initial !== undefined && e.options.some((o) => o.value === e.initial);
  const options = e.options
    .map((o) => `<option value="${esc(o.value)}"${o.value === e.initial ? ' selected' : ''}>${esc(o.label)}</option>`)
    .join('');
  return (
    `<select class="mv-select" data-action-id="${esc(e.actionId)}" aria-label="${esc(e.placeholder)}">` +
    `<option value="" disabled${hasInitial ? '' : ' selected'}>${esc(e.placeholder)}</option>${options}</select>`
  );
}

/** One block → HTML. */
export function renderBlock(b: Block, ctx: RenderContext): string {
  switch (b.type) {
    case 'header':
      return `<div class="mv-header">${textHtml(b.text, true)}</div>`;
    case 'text':
      return `<div class="mv-text">${renderMarkdown(b.text, ctx)}</div>`;
    case 'fields':
      return `<div class="mv-fields">${b.fields
        .map((f) => `<div class="mv-field"><div class="mv-field-label">${esc(f.label)}</div><div class="mv-field-value">${renderMarkdown(f.value, ctx)}</div></div>`)
        .join('')}</div>`;
    case 'context':
      return `<div class="mv-context">${b.elements.map((e) => `<span>${renderMarkdown(e, ctx)}</span>`).join('')}</div>`;
    case 'actions':
      return `<div class="mv-actions"${b.blockId ? ` data-block-id="${esc(b.blockId)}"` : ''}>${b.elements.map(renderElement).join('')}</div>`;
    case 'quote':
      return `<blockquote class="mv-quote">${renderPersonText(b.text)}</blockquote>`;
    case 'divider':
      return '<hr class="mv-divider">';
  }
}

/**
 * A MessageView → one HTML fragment. Without blocks, the plain-text fallback is shown.
 * @example renderMessageView({ text: 'hi', blocks: [{ type: 'header', text: 'T-1' }] }, ctx)
 */
export function renderMessageView(view: MessageView, ctx: RenderContext): string {
  const inner = view.blocks.length ? view.blocks.map((b) => renderBlock(b, ctx)).join('') : `<div class="mv-text">${textHtml(view.text, true)}</div>`;
  return `<div class="mv">${inner}</div>`;
}

function renderField(f: FormField, ctx: RenderContext, n: number): string {
  const id = `f${n}-${f.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const label = `<label for="${esc(id)}">${esc(f.label)}${f.optional ? ' <span class="mv-optional">(optional)</span>' : ''}</label>`;
  const req = f.optional ? '' : ' required';
  if (f.type === 'text') {
    const max = f.maxLength ? ` maxlength="${f.maxLength}"` : '';
    const control = f.multiline
      ? `<textarea id="${esc(id)}" name="${esc(f.id)}" rows="6"${max}${req}>${esc(f.initial ?? '')}</textarea>`
      : `<input id="${esc(id)}" name="${esc(f.id)}" type="text" value="${esc(f.initial ?? '')}"${max}${req}>`;
    return `<div class="mv-form-field">${label}${control}</div>`;
  }
  const options =
    f.type === 'select' ? f.options.map((o) => ({ value: o.value, label: o.label })) : (ctx.people ?? []).map((p) => ({ value: p.id, label: p.name }));
  const opts = [
    `<option value=""${f.initial ? '' : ' selected'}${f.optional ? '' : ' disabled'}>${f.optional ? '—' : 'Choose…'}</option>`,
    ...options.map((o) => `<option value="${esc(o.value)}"${o.value === f.initial ? ' selected' : ''}>${esc(o.label)}</option>`),
  ].join('');
  return `<div class="mv-form-field">${label}<select id="${esc(id)}" name="${esc(f.id)}"${req}>${opts}</select></div>`;
}

/**
 * A FormView → an HTML form for the playground's dialog. The form's state stays on the
 * server (under `formRef`); the browser only sends the field values back.
 */
export function renderForm(form: FormView, formRef: number, ctx: RenderContext): string {
  return (
    `<form class="mv-form" data-form-ref="${formRef}" data-form-id="${esc(form.formId)}">` +
    `<h2 class="mv-form-title">${esc(form.title)}</h2>` +
    form.fields.map((f, i) => renderField(f, ctx, i)).join('') +
    `<div class="mv-form-actions"><button type="button" class="mv-btn" data-form-cancel>Cancel</button>` +
    `<button type="submit" class="mv-btn mv-btn-primary">${esc(form.submitLabel)}</button></div></form>`
  );
}

/** A message as the browser receives it: metadata plus the rendered HTML body. */
export interface RenderedMessage {
  id: string;
  channelId: string;
  threadId: string | null;
  authorId: string;
  authorName: string;
  isBot: boolean;
  kind: LocalMessage['kind'];
  visibleTo: string | null;
  createdAt: number;
  editedAt: number | null;
  rev: number;
  /** The typed slash command an ephemeral answers, when there is one. */
  command: string | null;
  reactions: { emoji: string; label: string; users: string[]; names: string[] }[];
  html: string;
}

/** Render a stored playground message for the browser. */
export function renderMessage(m: LocalMessage, ctx: RenderContext): RenderedMessage {
  return {
    id: m.id,
    channelId: m.channelId,
    threadId: m.threadId,
    authorId: m.authorId,
    // A bot message in an agent's name (their reply to a customer) shows the agent.
    authorName: m.isBot && m.authorId === 'frontdesk' ? 'frontdesk' : ctx.nameOf(m.authorId),
    isBot: m.isBot,
    kind: m.kind,
    visibleTo: m.visibleTo,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    rev: m.rev,
    command: typeof m.meta.command === 'string' ? m.meta.command : null,
    reactions: m.reactions.map((r) => ({ emoji: r.emoji, label: emojiFor(r.emoji) ?? `:${r.emoji}:`, users: r.users, names: r.users.map((u) => ctx.nameOf(u)) })),
    html: m.view ? renderMessageView(m.view, ctx) : `<div class="mv-person">${renderPersonText(m.text)}</div>`,
  };
}
