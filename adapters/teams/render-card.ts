/**
 * MessageView / FormView → what a Teams message carries: an Adaptive Card (schema 1.5, the
 * version Universal Actions need) or, for one-line notices such as thread lines and SLA pings,
 * a markdown text message. Buttons and selects become Action.Execute (with an Action.Submit
 * fallback for old clients); mentions `<@id>` become `<at>Name</at>` plus Teams mention
 * entities (in the activity for text messages, in `msteams.entities` inside cards). Text a
 * person typed is escaped so it can never format, link or mention.
 */
import { shorten } from '../../src/util/text.js';
import { type Block, type FormView, type MessageView, type SelectElement, type ButtonElement, tokenize } from '../../src/ports/message-view.js';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';
/** Teams rejects activities above ~28 KB; stay well below. */
export const MAX_ACTIVITY_BYTES = 24_000;
const MAX_ACTIONS_PER_SET = 5;

/** Who a mention points at, as Teams needs it. */
export interface MentionTarget {
  /** Teams user id (29:…) or Entra object id. */
  id: string;
  name: string;
}

export type MentionResolver = (userId: string) => MentionTarget;

export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

// biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON is an open-ended document
export type CardElement = Record<string, any>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  msteams?: { width?: 'Full'; entities?: MentionEntity[] };
}

/** The message part of an outgoing Teams activity. */
export interface RenderedMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown';
  attachments?: { contentType: string; content: AdaptiveCard }[];
  entities?: MentionEntity[];
  /** Plain-text preview Teams shows in notifications. */
  summary: string;
}

/**
 * What an Action.Execute / Action.Submit carries back. `fd` says which kind of control it was.
 * Select and form values arrive next to these keys under the input ids.
 */
export type ActionData =
  | { fd: 'action'; actionId: string; value: string }
  | { fd: 'select'; actionId: string; input: string }
  | { fd: 'form'; formId: string; state: string; fields: string[] }
  | { fd: 'cancel'; formId: string };

/** Input id of a form field (prefixed so it never collides with the action data keys). */
export const formInputId = (fieldId: string): string => `f_${fieldId}`;

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  rotating_light: '🚨',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  eyes: '👀',
  ticket: '🎫',
  fire: '🔥',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  bell: '🔔',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  orange_circle: '🟠',
  large_yellow_circle: '🟡',
  yellow_circle: '🟡',
  large_green_circle: '🟢',
  green_circle: '🟢',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  x: '❌',
  sparkles: '✨',
  memo: '📝',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  calendar: '📅',
  sunrise: '🌅',
  zzz: '💤',
  raising_hand: '🙋',
  wave: '👋',
  information_source: 'ℹ️',
  mag: '🔍',
  pushpin: '📌',
  busts_in_silhouette: '👥',
  bulb: '💡',
  arrow_up: '⬆️',
  arrow_right: '➡️',
  link: '🔗',
  speech_balloon: '💬',
  robot_face: '🤖',
};

/** Slack-style `:shortcode:` emoji that core texts use → Unicode (unknown codes stay). */
export function emojify(s: string): string {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
}

/**
 * Escape text for Teams markdown (Adaptive Card TextBlock and message text) so it shows
 * literally: no bold, italics, links, lists, headings or `<at>` mentions survive.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/([\\*_[\]`~<>])/g, '\\$1')
    .replace(/^(\s*)([-+#>])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

function safeName(name: string): string {
  return name.replace(/[<>]/g, '').trim() || 'someone';
}

class MentionCollector {
  readonly entities: MentionEntity[] = [];
  constructor(private readonly resolve: MentionResolver) {}

  add(userId: string): string {
    const target = this.resolve(userId);
    const name = safeName(target.name);
    const text = `<at>${name}</at>`;
    if (!this.entities.some((e) => e.mentioned.id === target.id && e.text === text)) this.entities.push({ type: 'mention', text, mentioned: { id: target.id, name } });
    return text;
  }
}

/** Neutral markdown → Teams markdown; mentions are collected as entities. */
function markdown(md: string, mentions: MentionCollector, opts: { codeSpans: boolean }): string {
  return tokenize(md)
    .map((t) => {
      switch (t.t) {
        case 'text':
          return escapeMarkdown(emojify(t.v));
        case 'bold':
          return `**${escapeMarkdown(emojify(t.v))}**`;
        case 'italic':
          return `_${escapeMarkdown(emojify(t.v))}_`;
        case 'code':
          // Adaptive Card markdown has no code spans: show the code text literally.
          return opts.codeSpans ? `\`${t.v.replace(/`/g, "'")}\`` : escapeMarkdown(t.v);
        case 'link':
          return t.url.startsWith('#') ? escapeMarkdown(t.v) : `[${escapeMarkdown(t.v)}](${t.url})`;
        default:
          return mentions.add(t.id);
      }
    })
    .join('');
}

/** Literal (person-typed) text for a TextBlock. */
function literal(s: string): string {
  return escapeMarkdown(s);
}

function textBlock(text: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

function buttonAction(b: ButtonElement): CardElement {
  if (b.url) return { type: 'Action.OpenUrl', title: b.label, url: b.url };
  const data: ActionData = { fd: 'action', actionId: b.actionId, value: b.value };
  const style = b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
  return {
    type: 'Action.Execute',
    title: b.label,
    verb: b.actionId,
    data,
    associatedInputs: 'none',
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title: b.label, data },
  };
}

function selectElement(s: SelectElement, inputId: string): CardElement {
  const data: ActionData = { fd: 'select', actionId: s.actionId, input: inputId };
  const initial = s.options.some((o) => o.value === s.initial) ? s.initial : undefined;
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'Bottom',
        items: [
          {
            type: 'Input.ChoiceSet',
            id: inputId,
            label: s.placeholder,
            style: 'compact',
            ...(initial !== undefined ? { value: initial } : { placeholder: s.placeholder }),
            choices: s.options.map((o) => ({ title: o.label, value: o.value })),
          },
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Bottom',
        items: [
          {
            type: 'ActionSet',
            actions: [
              {
                type: 'Action.Execute',
                title: `Set ${s.placeholder.toLowerCase()}`,
                verb: s.actionId,
                data,
                associatedInputs: 'auto',
                fallback: { type: 'Action.Submit', title: `Set ${s.placeholder.toLowerCase()}`, data },
              },
            ],
          },
        ],
      },
    ],
  };
}

function renderBlocks(blocks: Block[], mentions: MentionCollector, counter: { n: number }): CardElement[] {
  const out: CardElement[] = [];
  let separate = false;
  const push = (el: CardElement) => {
    out.push(separate ? { ...el, separator: true, spacing: 'Medium' } : el);
    separate = false;
  };
  const md = (s: string) => markdown(s, mentions, { codeSpans: false });
  for (const b of blocks) {
    switch (b.type) {
      case 'header':
        push(textBlock(literal(b.text), { size: 'Large', weight: 'Bolder', style: 'heading' }));
        break;
      case 'text':
        push(textBlock(md(b.text)));
        break;
      case 'fields':
        push({
          type: 'Container',
          spacing: 'Medium',
          items: b.fields.map((f) => ({
            type: 'ColumnSet',
            spacing: 'Small',
            columns: [
              { type: 'Column', width: 2, items: [textBlock(literal(f.label), { weight: 'Bolder' })] },
              { type: 'Column', width: 5, items: [textBlock(md(f.value))] },
            ],
          })),
        });
        break;
      case 'context':
        push(textBlock(b.elements.map(md).join(' · '), { isSubtle: true, size: 'Small' }));
        break;
      case 'quote':
        push({ type: 'Container', style: 'emphasis', items: [textBlock(literal(b.text))] });
        break;
      case 'divider':
        separate = true;
        break;
      case 'actions': {
        const buttons = b.elements.filter((e): e is ButtonElement => e.type === 'button');
        for (let i = 0; i < buttons.length; i += MAX_ACTIONS_PER_SET) push({ type: 'ActionSet', actions: buttons.slice(i, i + MAX_ACTIONS_PER_SET).map(buttonAction) });
        for (const s of b.elements.filter((e): e is SelectElement => e.type === 'select')) push(selectElement(s, `s_${++counter.n}`));
        break;
      }
    }
  }
  return out;
}

function cardOf(body: CardElement[], entities: MentionEntity[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    msteams: entities.length ? { width: 'Full', entities } : { width: 'Full' },
  };
}

/**
 * Render a view as an Adaptive Card. `notice` (shown only to one person, e.g. in the answer to
 * their card action) is appended in a highlighted container.
 */
export function renderCard(view: MessageView, resolve: MentionResolver, opts: { notice?: MessageView } = {}): AdaptiveCard {
  const mentions = new MentionCollector(resolve);
  const counter = { n: 0 };
  const body = renderBlocks(view.blocks, mentions, counter);
  if (body.length === 0) body.push(textBlock(literal(view.text)));
  if (opts.notice) {
    const isError = opts.notice.blocks.some((b) => b.type === 'text' && b.text.startsWith(':warning:'));
    body.push({ type: 'Container', style: isError ? 'attention' : 'accent', separator: true, spacing: 'Medium', items: renderBlocks(opts.notice.blocks, mentions, counter) });
  }
  return cardOf(body, mentions.entities);
}

/** A one-text-block view is sent as a plain (markdown) message so mentions notify like a person's. */
export function isSimpleText(view: MessageView): boolean {
  return view.blocks.length === 1 && view.blocks[0]!.type === 'text';
}

function plainSummary(view: MessageView, resolve: MentionResolver): string {
  const s = tokenize(view.text)
    .map((t) => (t.t === 'mention' ? `@${resolve(t.id).name}` : t.v))
    .join('');
  return shorten(emojify(s), 300, '…');
}

/** Render a view as the message fields of a Teams activity (text with mentions, or a card). */
export function renderMessage(view: MessageView, resolve: MentionResolver, opts: { notice?: MessageView; maxBytes?: number } = {}): RenderedMessage {
  const summary = plainSummary(view, resolve);
  if (isSimpleText(view) && !opts.notice) {
    const mentions = new MentionCollector(resolve);
    const block = view.blocks[0] as { type: 'text'; text: string };
    const text = markdown(block.text, mentions, { codeSpans: true });
    return { type: 'message', text, textFormat: 'markdown', summary, ...(mentions.entities.length ? { entities: mentions.entities } : {}) };
  }
  const max = opts.maxBytes ?? MAX_ACTIVITY_BYTES;
  let blocks = view.blocks;
  for (;;) {
    const card = renderCard({ ...view, blocks }, resolve, opts);
    const msg: RenderedMessage = { type: 'message', attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }], summary };
    if (Buffer.byteLength(JSON.stringify(msg)) <= max || blocks.length <= 2) return msg;
    // Too big for one Teams message: drop blocks from the end and say so.
    const kept = blocks.filter((b) => !(b.type === 'context' && b.elements[0]?.startsWith('_…more not shown')));
    blocks = [...kept.slice(0, Math.max(1, Math.floor(kept.length * 0.8))), { type: 'context', elements: ['_…more not shown here: ask for a narrower list, e.g. `list mine`._'] }];
  }
}

/**
 * Render a form as a card. In a message, submitting comes back as Action.Execute (Cancel brings
 * the previous card back); in a dialog (`dialog: true`, Teams task modules only take
 * Action.Submit) as Action.Submit, and the dialog's own close button cancels.
 */
export function renderFormCard(form: FormView, opts: { notice?: string; dialog?: boolean } = {}): AdaptiveCard {
  const body: CardElement[] = [textBlock(literal(form.title), { size: 'Medium', weight: 'Bolder', style: 'heading' })];
  if (opts.notice) body.push(textBlock(literal(opts.notice), { color: 'Attention' }));
  for (const f of form.fields) {
    const common = { id: formInputId(f.id), label: f.label, isRequired: !f.optional, errorMessage: `${f.label} is required.` };
    if (f.type === 'text')
      body.push({ type: 'Input.Text', ...common, isMultiline: Boolean(f.multiline), ...(f.initial ? { value: f.initial } : {}), ...(f.maxLength ? { maxLength: f.maxLength } : {}) });
    else if (f.type === 'select')
      body.push({
        type: 'Input.ChoiceSet',
        ...common,
        style: 'compact',
        ...(f.initial ? { value: f.initial } : {}),
        choices: f.options.map((o) => ({ title: o.label, value: o.value })),
      });
    else
      body.push({
        type: 'Input.ChoiceSet',
        ...common,
        style: 'filtered',
        choices: [],
        // Teams' people picker: the value is the person's Entra object id.
        'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
        ...(f.initial ? { value: f.initial } : {}),
      });
  }
  const submit: ActionData = { fd: 'form', formId: form.formId, state: form.state, fields: form.fields.map((f) => f.id) };
  const cancel: ActionData = { fd: 'cancel', formId: form.formId };
  body.push({
    type: 'ActionSet',
    actions: opts.dialog
      ? [{ type: 'Action.Submit', title: form.submitLabel, data: submit, style: 'positive' }]
      : [
          { type: 'Action.Execute', title: form.submitLabel, verb: 'form.submit', data: submit, associatedInputs: 'auto', style: 'positive', fallback: { type: 'Action.Submit', title: form.submitLabel, data: submit } },
          { type: 'Action.Execute', title: 'Cancel', verb: 'form.cancel', data: cancel, associatedInputs: 'none', fallback: { type: 'Action.Submit', title: 'Cancel', data: cancel } },
        ],
  });
  return cardOf(body, []);
}

/** Parse what an Action.Execute / Action.Submit sent back; null if it is not ours. */
export function parseActionData(raw: unknown): { data: ActionData; inputs: Record<string, string> } | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string' && (k.startsWith('f_') || k.startsWith('s_'))) inputs[k] = v;
  switch (o.fd) {
    case 'action': {
      const actionId = str('actionId');
      const value = str('value');
      return actionId && value !== null ? { data: { fd: 'action', actionId, value }, inputs } : null;
    }
    case 'select': {
      const actionId = str('actionId');
      const input = str('input');
      return actionId && input ? { data: { fd: 'select', actionId, input }, inputs } : null;
    }
    case 'form': {
      const formId = str('formId');
      const state = str('state');
      const fields = Array.isArray(o.fields) ? o.fields.filter((f): f is string => typeof f === 'string') : [];
      return formId && state !== null ? { data: { fd: 'form', formId, state, fields }, inputs } : null;
    }
    case 'cancel': {
      const formId = str('formId');
      return formId ? { data: { fd: 'cancel', formId }, inputs } : null;
    }
    default:
      return null;
  }
}

/** All human-visible text of a rendered message, flattened (logs, tests). */
export function visibleText(msg: { text?: string; attachments?: { content: unknown }[] }): string {
  const parts: string[] = [];
  if (msg.text) parts.push(msg.text);
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      for (const k of ['text', 'title', 'label'] as const) if (typeof o[k] === 'string') parts.push(o[k] as string);
      for (const [k, v] of Object.entries(o)) if (k !== 'msteams' && k !== 'data' && k !== 'fallback') walk(v);
    }
  };
  for (const a of msg.attachments ?? []) walk(a.content);
  return parts.join('\n');
}
