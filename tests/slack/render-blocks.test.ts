/**
 * MessageView → Block Kit: every element, escaping of customer text (no mentions, pings or
 * links can be injected), and Block Kit limits (long text cut with a marker, never rejected).
 */
import { describe, expect, it } from 'vitest';
import {
  escapeSlack,
  LIMITS,
  MARKER,
  readModalMetadata,
  readModalValues,
  renderBlocks,
  renderHome,
  renderMessage,
  renderModal,
  renderMrkdwn,
  renderQuote,
} from '../../adapters/slack/render-blocks.js';
import { slackCommandText, slackToPlain, toInboundMessage } from '../../adapters/slack/slack-inbound.js';
import { type Block, plain } from '../../src/ports/message-view.js';

describe('neutral markdown → mrkdwn', () => {
  it('renders bold, italic, code, links and mentions', () => {
    expect(renderMrkdwn('**T-1** is _urgent_, see `x<y` and [docs](https://ex.com/a?b=1&c=2) for <@U0ANA>')).toBe(
      '*T-1* is _urgent_, see `x&lt;y` and <https://ex.com/a?b=1&amp;c=2|docs> for <@U0ANA>',
    );
  });

  it('escapes customer text that went through plain(): no mention, ping or link survives', () => {
    const evil = plain('<!channel> <@U0BOSS> <https://evil.example|click me> & **bold** [x](https://evil.example)');
    const out = renderMrkdwn(`From customer: ${evil}`);
    expect(out).toBe('From customer: &lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|click me&gt; &amp; **bold** [x](https://evil.example)');
    expect(out).not.toMatch(/<[@!h]/);
  });

  it('renders quotes as literal, escaped block quotes', () => {
    expect(renderQuote('line one <@U1>\n**two** & <!here>')).toBe('>line one &lt;@U1&gt;\n>**two** &amp; &lt;!here&gt;');
  });

  it('cuts long text with the marker without breaking an entity, mention or link', () => {
    const md = `${'a'.repeat(2990)} <@U0ANA> [x](https://ex.com)`;
    const out = renderMrkdwn(md, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.endsWith(MARKER)).toBe(true);
    expect(out).not.toMatch(/<@U0A(?!NA>)|<https?:[^>]*$/);
    const amp = renderMrkdwn('&'.repeat(5000), 3000);
    expect(amp.length).toBeLessThanOrEqual(3000);
    expect(amp.replace(MARKER, '')).toMatch(/^(&amp;)+$/);
    const q = renderQuote('<'.repeat(4000), 3000);
    expect(q.length).toBeLessThanOrEqual(3000);
    expect(q.slice(1).replace(MARKER, '')).toMatch(/^(&lt;)+$/);
  });
});

describe('blocks', () => {
  const all: Block[] = [
    { type: 'header', text: 'T-1 · <b>Title</b>' },
    { type: 'text', text: '**Hello** <@U1>' },
    { type: 'fields', fields: [{ label: 'Priority', value: '**P1**' }, { label: 'Owner', value: '<@U2>' }] },
    { type: 'context', elements: ['one', 'two'] },
    {
      type: 'actions',
      blockId: 'ticket-actions',
      elements: [
        { type: 'button', actionId: 'ticket.resolve', label: 'Resolve', value: 'T-1', style: 'primary' },
        { type: 'button', actionId: 'ticket.open', label: 'Open', value: 'T-1', url: 'https://ex.com/t/1' },
        { type: 'select', actionId: 'ticket.priority', placeholder: 'Priority', initial: 'T-1|P1', options: [{ label: 'P0', value: 'T-1|P0' }, { label: 'P1', value: 'T-1|P1' }] },
      ],
    },
    { type: 'quote', text: 'customer says hi' },
    { type: 'divider' },
  ];

  it('maps every block kind to Block Kit', () => {
    const out = renderBlocks(all);
    expect(out.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions', 'section', 'divider']);
    expect(out[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'T-1 · <b>Title</b>', emoji: true } });
    expect(out[2]).toMatchObject({ fields: [{ type: 'mrkdwn', text: '*Priority*\n*P1*' }, { type: 'mrkdwn', text: '*Owner*\n<@U2>' }] });
    expect(out[3]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'one' }, { type: 'mrkdwn', text: 'two' }] });
    expect(out[4]).toMatchObject({
      type: 'actions',
      block_id: 'ticket-actions',
      elements: [
        { type: 'button', action_id: 'ticket.resolve', value: 'T-1', style: 'primary', text: { type: 'plain_text', text: 'Resolve' } },
        { type: 'button', action_id: 'ticket.open', url: 'https://ex.com/t/1' },
        { type: 'static_select', action_id: 'ticket.priority', initial_option: { value: 'T-1|P1', text: { text: 'P1' } }, options: [{ value: 'T-1|P0' }, { value: 'T-1|P1' }] },
      ],
    });
    expect(out[5]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '>customer says hi' } });
  });

  it('respects element limits: header 150, button text 75 and value 2000, options 100 with values 150, 10 fields per section', () => {
    const out = renderBlocks([
      { type: 'header', text: 'h'.repeat(400) },
      {
        type: 'actions',
        elements: [
          { type: 'button', actionId: 'a', label: 'l'.repeat(200), value: 'v'.repeat(5000) },
          { type: 'select', actionId: 's', placeholder: 'p', options: Array.from({ length: 150 }, (_, i) => ({ label: `o${i}`.repeat(50), value: `v${i}`.repeat(100) })) },
        ],
      },
      { type: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `f${i}`, value: 'x'.repeat(3000) })) },
    ]);
    const header = out[0] as { text: { text: string } };
    expect(header.text.text.length).toBe(LIMITS.headerText);
    expect(header.text.text.endsWith(MARKER)).toBe(true);
    const actions = out[1] as { elements: { text?: { text: string }; value?: string; options?: { text: { text: string }; value: string }[] }[] };
    expect(actions.elements[0]!.text!.text.length).toBe(75);
    expect(actions.elements[0]!.value!.length).toBe(2000);
    expect(actions.elements[1]!.options).toHaveLength(100);
    for (const o of actions.elements[1]!.options!) {
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.value.length).toBeLessThanOrEqual(150);
    }
    const sections = out.slice(2) as { fields: { text: string }[] }[];
    expect(sections.map((s) => s.fields.length)).toEqual([10, 10, 3]);
    for (const s of sections) for (const f of s.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
  });

  it('keeps at most 50 blocks in a message and 100 on Home, saying how many were left out', () => {
    const many: Block[] = Array.from({ length: 130 }, (_, i) => ({ type: 'text', text: `line ${i}` }));
    const msg = renderMessage({ text: 'x', blocks: many });
    expect(msg.blocks).toHaveLength(50);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('81 more blocks not shown');
    const home = renderHome({ text: 'x', blocks: many });
    expect(home.type).toBe('home');
    expect(home.blocks).toHaveLength(100);
  });

  it('gives duplicate block ids a suffix and drops empty text blocks', () => {
    const out = renderBlocks([
      { type: 'actions', blockId: 'row', elements: [{ type: 'button', actionId: 'a', label: 'A', value: '1' }] },
      { type: 'actions', blockId: 'row', elements: [{ type: 'button', actionId: 'a', label: 'A', value: '2' }] },
      { type: 'text', text: '   ' },
    ]);
    expect(out.map((b) => (b as { block_id?: string }).block_id)).toEqual(['row', 'row-2']);
  });

  it('escapes and cuts the fallback text', () => {
    const m = renderMessage({ text: `T-1 <!channel> ${'x'.repeat(5000)}`, blocks: [] });
    expect(m.text.startsWith('T-1 &lt;!channel&gt; ')).toBe(true);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(m.text.endsWith(MARKER)).toBe(true);
  });
});

describe('modals', () => {
  it('renders text, select and user fields and reads submissions back', () => {
    const modal = renderModal(
      {
        formId: 'form.create_ticket',
        title: 'Create a brand new support ticket',
        submitLabel: 'Create',
        state: 'ct-1',
        fields: [
          { type: 'text', id: 'note', label: 'Note', multiline: true, initial: 'hello', maxLength: 500, optional: true },
          { type: 'select', id: 'priority', label: 'Priority', initial: 'P2', options: [{ label: 'P1', value: 'P1' }, { label: 'P2', value: 'P2' }] },
          { type: 'user', id: 'owner', label: 'Owner', optional: true, initial: 'U1' },
        ],
      },
      'C1',
    );
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.callback_id).toBe('form.create_ticket');
    expect(modal.blocks).toMatchObject([
      { type: 'input', block_id: 'note', optional: true, element: { type: 'plain_text_input', action_id: 'note', multiline: true, initial_value: 'hello', max_length: 500 } },
      { type: 'input', block_id: 'priority', optional: false, element: { type: 'static_select', initial_option: { value: 'P2' } } },
      { type: 'input', block_id: 'owner', element: { type: 'users_select', initial_user: 'U1' } },
    ]);
    expect(readModalMetadata(modal.private_metadata)).toEqual({ state: 'ct-1', channelId: 'C1' });
    expect(
      readModalValues({
        note: { note: { type: 'plain_text_input', value: 'hi' } },
        priority: { priority: { type: 'static_select', selected_option: { value: 'P1' } } },
        owner: { owner: { type: 'users_select', selected_user: null } },
      }),
    ).toEqual({ note: 'hi', priority: 'P1', owner: '' });
  });
});

describe('Slack text → plain text (inbound)', () => {
  it('decodes Slack markup and entities', () => {
    expect(slackToPlain('hi <@U1> see <https://ex.com/a|the docs> and <https://ex.com> in <#C1|support> &lt;tag&gt; &amp; <!here> <mailto:a@b.c|a@b.c>')).toBe(
      'hi @U1 see the docs (https://ex.com/a) and https://ex.com in #support <tag> & @here a@b.c',
    );
  });

  it('keeps user mentions as ids in slash-command text and decodes the rest', () => {
    expect(slackCommandText('assign T-1 <@U0DANA|dana>')).toBe('assign T-1 <@U0DANA>');
    expect(slackCommandText('note T-1 call &lt;Bob&gt; &amp; see <https://ex.com|docs> in <#C1|ops>')).toBe('note T-1 call <Bob> & see docs (https://ex.com) in #ops');
  });

  it('marks bot messages and keeps subtypes and files', () => {
    const m = toInboundMessage({ channel: 'C1', ts: '1.2', thread_ts: '1.1', bot_id: 'B1', subtype: 'bot_message', text: 'x', files: [{ name: 'a.png', permalink: 'https://f/a' }] }, 'Ev1');
    expect(m).toMatchObject({ platform: 'slack', eventId: 'Ev1', channelId: 'C1', messageId: '1.2', threadId: '1.1', isBot: true, subtype: 'bot_message', files: [{ kind: 'file', name: 'a.png', url: 'https://f/a' }] });
  });
});

describe('escapeSlack', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('a & b < c > d * _ ~')).toBe('a &amp; b &lt; c &gt; d * _ ~');
  });
});
