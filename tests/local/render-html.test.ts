/**
 * Unit tests of the playground's HTML renderer: every MessageView element, neutral markdown,
 * forms, and escaping of anything that could carry markup (customer text, labels, values).
 */
import { describe, expect, it } from 'vitest';
import { renderBlock, renderForm, renderMarkdown, renderMessage, renderMessageView, renderPersonText } from '../../adapters/local/render-html.js';
import type { LocalMessage } from '../../adapters/local/playground-store.js';
import { type Block, type FormView, type MessageView, plain } from '../../src/ports/message-view.js';

const names: Record<string, string> = { dana: 'Dana Whitfield', evil: '<b>Mallory</b>' };
const ctx = { nameOf: (id: string) => names[id] ?? id, people: [{ id: 'dana', name: 'Dana Whitfield' }, { id: 'sam', name: 'Sam "the man" Okafor' }] };

const XSS = `<script>alert(1)</script><img src=x onerror="alert('x')">`;

/** No live tag or event handler from the payload survives: every real tag is one of ours. */
function expectInert(html: string): void {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    expect(tag).not.toMatch(/^<\/?(script|img|iframe|b|i)\b/i);
    // Attribute values are quoted with " (a " inside is &quot;): outside them, no handler.
    expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+\s*=/i);
  }
}

describe('renderMarkdown', () => {
  it('renders bold, italic, code, links and mentions', () => {
    const html = renderMarkdown('**T-1** is _urgent_, see `logs` at [the runbook](https://example.com/run?a=1&b=2) for <@dana>', ctx);
    expect(html).toBe(
      '<strong>T-1</strong> is <em>urgent</em>, see <code>logs</code> at ' +
        '<a href="https://example.com/run?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">the runbook</a> for ' +
        '<span class="mention" data-user-id="dana">@Dana Whitfield</span>',
    );
  });

  it('keeps text that went through plain() literal: no bold, link or mention', () => {
    const html = renderMarkdown(plain('**free** [x](https://evil.example) <@dana>'), ctx);
    expect(html).toBe('**free** [x](https://evil.example) &lt;@dana&gt;');
  });

  it('escapes HTML in text, bold, code, link labels and names', () => {
    const html = renderMarkdown(`${XSS} **${XSS}** \`${XSS}\` [${XSS}](https://example.com) <@evil>`, ctx);
    expectInert(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('@&lt;b&gt;Mallory&lt;/b&gt;');
  });

  it('never links javascript: or data: URLs', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) [img](data:text/html,hi)', ctx);
    expect(html).not.toContain('<a');
    expect(html).toContain('[click](javascript:alert(1))');
  });

  it('shows emoji short codes as emoji and keeps line breaks', () => {
    expect(renderMarkdown(':rotating_light: breach\nnext line :not_an_emoji:', ctx)).toBe('🚨 breach<br>next line :not_an_emoji:');
  });
});

describe('renderPersonText', () => {
  it('shows what a person typed literally, markdown and short codes included', () => {
    expect(renderPersonText(`**hi** :fire: <@dana>\n${XSS}`)).toBe(
      '**hi** :fire: &lt;@dana&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;',
    );
  });
});

describe('renderBlock: every MessageView element', () => {
  it('header: plain text, escaped', () => {
    const html = renderBlock({ type: 'header', text: `T-1 · ${XSS} **not bold**` }, ctx);
    expect(html.startsWith('<div class="mv-header">')).toBe(true);
    expect(html).toContain('**not bold**');
    expectInert(html);
  });

  it('text: neutral markdown', () => {
    expect(renderBlock({ type: 'text', text: '**Assigned** to <@dana>' }, ctx)).toBe(
      '<div class="mv-text"><strong>Assigned</strong> to <span class="mention" data-user-id="dana">@Dana Whitfield</span></div>',
    );
  });

  it('fields: labels as plain text, values as markdown', () => {
    const html = renderBlock(
      {
        type: 'fields',
        fields: [
          { label: 'Priority', value: '**P1 · high**' },
          { label: `<i>${XSS}</i>`, value: plain(XSS) },
        ],
      },
      ctx,
    );
    expect(html).toContain('<div class="mv-field"><div class="mv-field-label">Priority</div><div class="mv-field-value"><strong>P1 · high</strong></div></div>');
    expect(html).toContain('&lt;i&gt;');
    expectInert(html);
  });

  it('context: each element as markdown', () => {
    expect(renderBlock({ type: 'context', elements: ['_one_', 'two `x`'] }, ctx)).toBe(
      '<div class="mv-context"><span><em>one</em></span><span>two <code>x</code></span></div>',
    );
  });

  it('quote: customer text, never interpreted', () => {
    const html = renderBlock({ type: 'quote', text: `line 1\n**line 2** <@dana> ${XSS}` }, ctx);
    expect(html).toContain('<blockquote class="mv-quote">line 1<br>**line 2** &lt;@dana&gt;');
    expect(html).not.toContain('mention');
    expectInert(html);
  });

  it('divider', () => {
    expect(renderBlock({ type: 'divider' }, ctx)).toBe('<hr class="mv-divider">');
  });

  it('actions: buttons carry action id and value, styles become classes', () => {
    const block: Block = {
      type: 'actions',
      blockId: 'ticket-actions',
      elements: [
        { type: 'button', actionId: 'ticket.assign_me', label: 'Assign to me', value: 'T-1', style: 'primary' },
        { type: 'button', actionId: 'ticket.escalate', label: 'Escalate', value: 'T-1', style: 'danger' },
        { type: 'button', actionId: 'ticket.plan', label: 'Plan', value: 'T-1' },
      ],
    };
    expect(renderBlock(block, ctx)).toBe(
      '<div class="mv-actions" data-block-id="ticket-actions">' +
        '<button type="button" class="mv-btn mv-btn-primary" data-action-id="ticket.assign_me" data-value="T-1">Assign to me</button>' +
        '<button type="button" class="mv-btn mv-btn-danger" data-action-id="ticket.escalate" data-value="T-1">Escalate</button>' +
        '<button type="button" class="mv-btn" data-action-id="ticket.plan" data-value="T-1">Plan</button></div>',
    );
  });

  it('actions: a button with a URL is a link, but only for http(s)', () => {
    const html = renderBlock(
      {
        type: 'actions',
        elements: [
          { type: 'button', actionId: 'x.open', label: 'Open', value: 'v', url: 'https://example.com/a"b' },
          { type: 'button', actionId: 'x.bad', label: 'Bad', value: 'v', url: 'javascript:alert(1)' },
        ],
      },
      ctx,
    );
    expect(html).toContain('<a class="mv-btn" href="https://example.com/a&quot;b" target="_blank" rel="noopener noreferrer nofollow">Open</a>');
    expect(html).toContain('<button type="button" class="mv-btn" data-action-id="x.bad" data-value="v">Bad</button>');
    expect(html).not.toContain('javascript:');
  });

  it('actions: selects show the placeholder, options and the initial choice', () => {
    const withInitial = renderBlock(
      {
        type: 'actions',
        elements: [
          { type: 'select', actionId: 'ticket.priority', placeholder: 'Priority', initial: 'T-1|P1', options: [{ label: 'P0', value: 'T-1|P0' }, { label: 'P1', value: 'T-1|P1' }] },
        ],
      },
      ctx,
    );
    expect(withInitial).toContain('<select class="mv-select" data-action-id="ticket.priority" aria-label="Priority">');
    expect(withInitial).toContain('<option value="" disabled>Priority</option>');
    expect(withInitial).toContain('<option value="T-1|P1" selected>P1</option>');
    expect(withInitial).toContain('<option value="T-1|P0">P0</option>');
    const without = renderBlock({ type: 'actions', elements: [{ type: 'select', actionId: 'a.b', placeholder: 'Pick', options: [{ label: 'x', value: 'x' }] }] }, ctx);
    expect(without).toContain('<option value="" disabled selected>Pick</option>');
  });

  it('actions: labels, values and ids cannot break out of attributes', () => {
    const html = renderBlock(
      {
        type: 'actions',
        blockId: '"><script>x</script>',
        elements: [
          { type: 'button', actionId: 'a" onclick="alert(1)', label: XSS, value: `" onmouseover="alert(1)` },
          { type: 'select', actionId: 's', placeholder: XSS, options: [{ label: XSS, value: '"><img src=x>' }] },
        ],
      },
      ctx,
    );
    expectInert(html);
    expect(html).not.toMatch(/"\s+on\w+="/);
    expect(html).toContain('data-action-id="a&quot; onclick=&quot;alert(1)"');
  });
});

describe('renderMessageView', () => {
  it('wraps the blocks, and falls back to the plain text without blocks', () => {
    expect(renderMessageView({ text: 'x', blocks: [{ type: 'divider' }] }, ctx)).toBe('<div class="mv"><hr class="mv-divider"></div>');
    expect(renderMessageView({ text: `fallback ${XSS}`, blocks: [] }, ctx)).toBe(
      '<div class="mv"><div class="mv-text">fallback &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;</div></div>',
    );
  });

  it('renders a whole card-like view with every block type', () => {
    const view: MessageView = {
      text: 'T-1',
      blocks: [
        { type: 'header', text: 'T-1 · Login fails' },
        { type: 'quote', text: 'I cannot log in' },
        { type: 'fields', fields: [{ label: 'Owner', value: '<@dana>' }] },
        { type: 'context', elements: ['why: matched "login"'] },
        { type: 'actions', elements: [{ type: 'button', actionId: 'ticket.resolve', label: 'Resolve', value: 'T-1' }] },
        { type: 'text', text: 'done' },
        { type: 'divider' },
      ],
    };
    const html = renderMessageView(view, ctx);
    for (const cls of ['mv-header', 'mv-quote', 'mv-fields', 'mv-context', 'mv-actions', 'mv-text', 'mv-divider']) expect(html).toContain(`class="${cls}"`);
    expect(html).toContain('@Dana Whitfield');
  });
});

describe('renderForm', () => {
  const form: FormView = {
    formId: 'form.edit_draft',
    title: `Edit reply ${XSS}`,
    submitLabel: 'Send',
    state: 'secret-state',
    fields: [
      { type: 'text', id: 'text', label: 'Reply', multiline: true, initial: `Hello </textarea>${XSS}`, maxLength: 3000 },
      { type: 'text', id: 'subject', label: 'Subject', initial: '" autofocus onfocus="alert(1)', optional: true },
      { type: 'select', id: 'priority', label: 'Priority', initial: 'P2', options: [{ label: 'P1', value: 'P1' }, { label: 'P2', value: 'P2' }] },
      { type: 'user', id: 'owner', label: 'Owner', optional: true },
    ],
  };
  const html = renderForm(form, 42, ctx);

  it('renders every field type with its initial value', () => {
    expect(html).toContain('<form class="mv-form" data-form-ref="42" data-form-id="form.edit_draft">');
    expect(html).toMatch(/<textarea id="f0-text" name="text" rows="6" maxlength="3000" required>Hello &lt;\/textarea&gt;/);
    expect(html).toContain('<input id="f1-subject" name="subject" type="text" value="&quot; autofocus onfocus=&quot;alert(1)">');
    expect(html).toContain('<option value="P2" selected>P2</option>');
    expect(html).toContain('<option value="dana">Dana Whitfield</option>');
    expect(html).toContain('<option value="sam">Sam &quot;the man&quot; Okafor</option>');
    expect(html).toContain('(optional)');
    expect(html).toContain('<button type="submit" class="mv-btn mv-btn-primary">Send</button>');
  });

  it('keeps the state on the server and escapes everything', () => {
    expect(html).not.toContain('secret-state');
    expectInert(html);
    expect(html).not.toContain('</textarea><script');
  });
});

describe('renderMessage', () => {
  const base: LocalMessage = {
    id: 'm7',
    channelId: 'support',
    threadId: null,
    authorId: 'dana',
    isBot: false,
    kind: 'message',
    visibleTo: null,
    text: `**not bold** ${XSS}`,
    view: null,
    meta: {},
    createdAt: 1,
    editedAt: null,
    rev: 3,
    reactions: [{ emoji: 'eyes', users: ['dana'] }, { emoji: 'party_parrot', users: ['evil'] }],
  };

  it('renders what people typed literally, with names and reaction labels', () => {
    const r = renderMessage(base, ctx);
    expect(r.html).toBe(`<div class="mv-person">${renderPersonText(base.text)}</div>`);
    expectInert(r.html);
    expect(r.authorName).toBe('Dana Whitfield');
    expect(r.reactions).toEqual([
      { emoji: 'eyes', label: '👀', users: ['dana'], names: ['Dana Whitfield'] },
      { emoji: 'party_parrot', label: ':party_parrot:', users: ['evil'], names: ['<b>Mallory</b>'] },
    ]);
  });

  it('renders bot messages from their view and passes the command of an ephemeral', () => {
    const r = renderMessage(
      { ...base, authorId: 'frontdesk', isBot: true, kind: 'ephemeral', visibleTo: 'dana', view: { text: 'x', blocks: [{ type: 'text', text: '**ok**' }] }, meta: { command: '/ticket list' } },
      ctx,
    );
    expect(r.html).toBe('<div class="mv"><div class="mv-text"><strong>ok</strong></div></div>');
    expect(r.authorName).toBe('frontdesk');
    expect(r.command).toBe('/ticket list');
    expect(r.visibleTo).toBe('dana');
  });
});
