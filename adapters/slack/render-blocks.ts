/**
 * MessageView → Slack Block Kit, FormView → modal, queue view → Home tab.
 *
 * Neutral markdown becomes Slack mrkdwn through the shared tokenizer; every literal piece of
 * text is escaped (& < >) so customer text can never produce a mention, a channel ping or a
 * link. Block Kit limits are enforced here: over-long text is cut with a visible marker and
 * surplus blocks are replaced by a note, so Slack never rejects a message for its size.
 */
import type { types } from '@slack/bolt';
import type { ActionElement, Block, FormField, FormView, MessageView } from '../../src/ports/message-view.js';
import { tokenize } from '../../src/ports/message-view.js';
// Text about to be cut is redacted first, so half a card number or e-mail never reaches Slack.
import { redactBeforeCut, shorten } from '../../src/util/text.js';

type SlackBlock = types.KnownBlock;
type PlainText = types.PlainTextElement;
type Option = types.PlainTextOption;

/** Published Block Kit limits (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  actionsElements: 25,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionValue: 150,
  options: 100,
  placeholder: 150,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  privateMetadata: 3000,
  fallbackText: 3000,
} as const;

export const MARKER = '… (truncated)';

/**
 * Escape text for Slack mrkdwn: `&`, `<`, `>` are the only control characters.
 * @example escapeSlack('<!channel> & co') // '&lt;!channel&gt; &amp; co'
 */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The longest prefix of `raw` whose escaped form fits in `budget` characters, escaped. */
function fitEscaped(raw: string, budget: number): string {
  let out = '';
  for (const ch of raw) {
    const e = escapeSlack(ch);
    if (out.length + e.length > budget) break;
    out += e;
  }
  return out;
}

/** Plain text cut to `max` characters with the marker (plain_text objects need no escaping). */
export function cutPlain(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= MARKER.length) return shorten(s, max, '');
  return shorten(s, max, MARKER);
}

function plainText(text: string, max: number): PlainText {
  return { type: 'plain_text', text: cutPlain(text || ' ', max), emoji: true };
}

/**
 * Neutral markdown → Slack mrkdwn, at most `max` characters. When it does not fit, whole
 * tokens are kept, the first one that does not fit is cut (text only) and the marker added;
 * a mention or link is never cut in half.
 * @example renderMrkdwn('**T-1** for <@U1>') // '*T-1* for <@U1>'
 */
export function renderMrkdwn(md: string, max: number = LIMITS.sectionText): string {
  const tokens = tokenize(md);
  const pieces = tokens.map(renderToken);
  const full = pieces.join('');
  if (full.length <= max) return full;
  const budget = Math.max(0, max - MARKER.length);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const piece = pieces[i]!;
    if (out.length + piece.length <= budget) {
      out += piece;
      continue;
    }
    const tok = tokens[i]!;
    if (tok.t === 'text') out += fitEscaped(redactBeforeCut(tok.v), budget - out.length);
    break;
  }
  return out + MARKER;
}

function renderToken(tok: ReturnType<typeof tokenize>[number]): string {
  switch (tok.t) {
    case 'text':
      return escapeSlack(tok.v);
    case 'bold':
      return tok.v.trim() ? `*${escapeSlack(tok.v.trim())}*` : escapeSlack(tok.v);
    case 'italic':
      return tok.v.trim() ? `_${escapeSlack(tok.v.trim())}_` : escapeSlack(tok.v);
    case 'code':
      return `\`${escapeSlack(tok.v)}\``;
    case 'link':
      if (!/^https?:\/\//.test(tok.url)) return escapeSlack(tok.v);
      return `<${escapeSlack(tok.url).replace(/\|/g, '%7C')}|${escapeSlack(tok.v)}>`;
    case 'mention':
      return `<@${tok.id}>`;
  }
}

/** Literal text (customer text) as a Slack block quote, escaped and cut to `max`. */
export function renderQuote(text: string, max: number = LIMITS.sectionText): string {
  const lines = (text || ' ').split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const piece = `${i ? '\n' : ''}>${escapeSlack(lines[i]!)}`;
    if (out.length + piece.length <= max) {
      out += piece;
      continue;
    }
    const budget = max - MARKER.length - out.length - (i ? 2 : 1);
    if (budget > 0) out += `${i ? '\n' : ''}>${fitEscaped(redactBeforeCut(lines[i]!), budget)}`;
    return out + MARKER;
  }
  return out;
}

function renderElement(el: ActionElement): types.Button | types.StaticSelect | null {
  if (el.type === 'button') {
    const b: types.Button = {
      type: 'button',
      action_id: el.actionId.slice(0, LIMITS.actionId),
      text: plainText(el.label, LIMITS.buttonText),
      value: el.value.slice(0, LIMITS.buttonValue),
    };
    if (el.style) b.style = el.style;
    if (el.url && /^https?:\/\//.test(el.url) && el.url.length <= LIMITS.buttonUrl) b.url = el.url;
    return b;
  }
  const options: Option[] = el.options.slice(0, LIMITS.options).map((o) => ({ text: plainText(o.label, LIMITS.optionText), value: o.value.slice(0, LIMITS.optionValue) }));
  if (options.length === 0) return null;
  const s: types.StaticSelect = {
    type: 'static_select',
    action_id: el.actionId.slice(0, LIMITS.actionId),
    placeholder: plainText(el.placeholder, LIMITS.placeholder),
    options,
  };
  const initial = el.initial === undefined ? undefined : options.find((o) => o.value === el.initial!.slice(0, LIMITS.optionValue));
  if (initial) s.initial_option = initial;
  return s;
}

function renderBlock(b: Block): SlackBlock[] {
  switch (b.type) {
    case 'header':
      return [{ type: 'header', text: plainText(b.text, LIMITS.headerText) }];
    case 'text':
      return b.text.trim() ? [{ type: 'section', text: { type: 'mrkdwn', text: renderMrkdwn(b.text, LIMITS.sectionText) } }] : [];
    case 'quote':
      return [{ type: 'section', text: { type: 'mrkdwn', text: renderQuote(b.text, LIMITS.sectionText) } }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'context': {
      const elements = b.elements
        .filter((e) => e.trim())
        .slice(0, LIMITS.contextElements)
        .map((e): types.MrkdwnElement => ({ type: 'mrkdwn', text: renderMrkdwn(e, LIMITS.sectionText) }));
      return elements.length ? [{ type: 'context', elements }] : [];
    }
    case 'fields': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < b.fields.length; i += LIMITS.fieldsPerSection) {
        const fields = b.fields.slice(i, i + LIMITS.fieldsPerSection).map((f): types.MrkdwnElement => {
          const label = `*${fitEscaped(f.label, 200)}*\n`;
          return { type: 'mrkdwn', text: label + renderMrkdwn(f.value || '—', LIMITS.fieldText - label.length) };
        });
        if (fields.length) out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'actions': {
      const elements = b.elements
        .map(renderElement)
        .filter((e): e is types.Button | types.StaticSelect => e !== null)
        .slice(0, LIMITS.actionsElements);
      if (elements.length === 0) return [];
      const block: types.ActionsBlock = { type: 'actions', elements };
      if (b.blockId) block.block_id = b.blockId.slice(0, LIMITS.blockId);
      return [block];
    }
  }
}

/**
 * Render blocks for a surface with at most `maxBlocks` blocks. Surplus blocks are replaced
 * by a context note; duplicate block ids get a suffix (Slack rejects duplicates).
 */
export function renderBlocks(blocks: Block[], maxBlocks: number = LIMITS.messageBlocks): SlackBlock[] {
  const out = blocks.flatMap(renderBlock);
  const seen = new Set<string>();
  for (const b of out) {
    if (!('block_id' in b) || !b.block_id) continue;
    let id = b.block_id;
    for (let n = 2; seen.has(id); n++) id = `${b.block_id.slice(0, LIMITS.blockId - 6)}-${n}`;
    b.block_id = id;
    seen.add(id);
  }
  if (out.length <= maxBlocks) return out;
  const kept = out.slice(0, maxBlocks - 1);
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_… ${out.length - kept.length} more blocks not shown._` }] });
  return kept;
}

/** The plain-text fallback (`text`) Slack uses in notifications: escaped and cut. */
export function renderFallback(text: string): string {
  const full = escapeSlack(text);
  if (full.length <= LIMITS.fallbackText) return full || ' ';
  return fitEscaped(redactBeforeCut(text), LIMITS.fallbackText - MARKER.length) + MARKER;
}

/** A message: `{ text, blocks }` for chat.postMessage / chat.update / chat.postEphemeral. */
export function renderMessage(view: MessageView): { text: string; blocks: SlackBlock[] } {
  return { text: renderFallback(view.text), blocks: renderBlocks(view.blocks, LIMITS.messageBlocks) };
}

/** A reply through `respond()` (response_url) that only the person who asked sees. */
export function renderEphemeralResponse(view: MessageView): { response_type: 'ephemeral'; replace_original: false; text: string; blocks: SlackBlock[] } {
  return { response_type: 'ephemeral', replace_original: false, ...renderMessage(view) };
}

/** Replace the message a button was on (ephemeral or not) through `respond()` (response_url). */
export function renderReplaceResponse(view: MessageView): { replace_original: true; text: string; blocks: SlackBlock[] } {
  return { replace_original: true, ...renderMessage(view) };
}

/** The App Home tab. */
export function renderHome(view: MessageView): types.HomeView {
  return { type: 'home', blocks: renderBlocks(view.blocks, LIMITS.surfaceBlocks) };
}

function renderField(f: FormField): types.InputBlock {
  const base = { type: 'input' as const, block_id: f.id.slice(0, LIMITS.blockId), label: plainText(f.label, LIMITS.inputLabel), optional: Boolean(f.optional) };
  switch (f.type) {
    case 'text': {
      const el: types.PlainTextInput = { type: 'plain_text_input', action_id: f.id.slice(0, LIMITS.actionId), multiline: Boolean(f.multiline) };
      if (f.maxLength) el.max_length = Math.min(f.maxLength, 3000);
      if (f.initial) el.initial_value = f.initial.slice(0, el.max_length ?? 3000);
      return { ...base, element: el };
    }
    case 'select': {
      const options: Option[] = f.options.slice(0, LIMITS.options).map((o) => ({ text: plainText(o.label, LIMITS.optionText), value: o.value.slice(0, LIMITS.optionValue) }));
      const el: types.StaticSelect = { type: 'static_select', action_id: f.id.slice(0, LIMITS.actionId), placeholder: plainText(f.label, LIMITS.placeholder), options };
      const initial = options.find((o) => o.value === f.initial);
      if (initial) el.initial_option = initial;
      return { ...base, element: el };
    }
    case 'user': {
      const el: types.UsersSelect = { type: 'users_select', action_id: f.id.slice(0, LIMITS.actionId), placeholder: plainText(f.label, LIMITS.placeholder) };
      if (f.initial) el.initial_user = f.initial;
      return { ...base, element: el };
    }
  }
}

/**
 * A FormView as a modal. The form's state travels in private_metadata; `channelId` (where
 * the form was opened) rides along so the adapter can answer there after submission.
 */
export function renderModal(form: FormView, channelId?: string | null): types.ModalView {
  const meta = JSON.stringify({ s: form.state, c: channelId ?? null });
  return {
    type: 'modal',
    callback_id: form.formId.slice(0, LIMITS.actionId),
    title: plainText(form.title, LIMITS.modalTitle),
    submit: plainText(form.submitLabel, LIMITS.modalButton),
    close: plainText('Cancel', LIMITS.modalButton),
    private_metadata: meta.length <= LIMITS.privateMetadata ? meta : JSON.stringify({ s: form.state.slice(0, LIMITS.privateMetadata - 40), c: null }),
    blocks: form.fields.slice(0, LIMITS.surfaceBlocks).map(renderField),
  };
}

/** Read private_metadata written by {@link renderModal}. */
export function readModalMetadata(meta: string | undefined): { state: string; channelId: string | null } {
  try {
    const m = JSON.parse(meta ?? '') as { s?: unknown; c?: unknown };
    return { state: typeof m.s === 'string' ? m.s : '', channelId: typeof m.c === 'string' ? m.c : null };
  } catch {
    return { state: meta ?? '', channelId: null };
  }
}

/** Submitted modal values (`view.state.values`) → `{ fieldId: value }`. */
export function readModalValues(values: Record<string, Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    for (const v of Object.values(actions)) {
      const a = v as { value?: string | null; selected_option?: { value?: string } | null; selected_user?: string | null; selected_conversation?: string | null };
      const value = a.value ?? a.selected_option?.value ?? a.selected_user ?? a.selected_conversation ?? '';
      out[blockId] = value ?? '';
    }
  }
  return out;
}
