/**
 * Our markdown-ish issue bodies ↔ Atlassian Document Format (Jira Cloud REST v3 takes and returns
 * ADF, not text). Supported, because the hand-off bodies use them: headings (#…######), paragraphs
 * (lines joined with hard breaks), bullet (- or *) and numbered (1.) lists, block quotes (>),
 * fenced code blocks (```lang), and inline **bold**, `code`, [links](url) and bare http(s) URLs.
 * Anything else stays literal text, so nothing is lost.
 */

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

const INLINE = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|\*\*([^*\n]+)\*\*|`([^`\n]+)`|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

/** Inline markdown → ADF text nodes with marks. */
export function inline(text: string): AdfNode[] {
  const out: AdfNode[] = [];
  const plain = (t: string) => {
    if (t) out.push({ type: 'text', text: t });
  };
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    plain(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1] !== undefined) out.push({ type: 'text', text: m[1], marks: [{ type: 'link', attrs: { href: m[2] } }] });
    else if (m[3] !== undefined) out.push({ type: 'text', text: m[3], marks: [{ type: 'strong' }] });
    else if (m[4] !== undefined) out.push({ type: 'text', text: m[4], marks: [{ type: 'code' }] });
    else out.push({ type: 'text', text: m[5]!, marks: [{ type: 'link', attrs: { href: m[5] } }] });
  }
  plain(text.slice(last));
  return out;
}

function paragraph(lines: string[]): AdfNode {
  const content: AdfNode[] = [];
  lines.forEach((l, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    content.push(...inline(l));
  });
  return { type: 'paragraph', content };
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** Markdown-ish text → an ADF document. */
export function markdownToAdf(markdown: string): AdfDoc {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const content: AdfNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) code.push(lines[i++]!);
      i++; // closing fence (or end of text)
      const text = code.join('\n');
      content.push({ type: 'codeBlock', ...(fence[1] ? { attrs: { language: fence[1] } } : {}), content: text ? [{ type: 'text', text }] : [] });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      content.push({ type: 'heading', attrs: { level: heading[1]!.length }, content: inline(heading[2]!.trim()) });
      i++;
      continue;
    }
    const listType = BULLET.test(line) ? 'bulletList' : NUMBERED.test(line) ? 'orderedList' : null;
    if (listType) {
      const re = listType === 'bulletList' ? BULLET : NUMBERED;
      const items: AdfNode[] = [];
      while (i < lines.length && re.test(lines[i]!)) items.push({ type: 'listItem', content: [paragraph([re.exec(lines[i++]!)![1]!])] });
      content.push({ type: listType, content: items });
      continue;
    }
    if (/^\s*>\s?/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>\s?/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      content.push({ type: 'blockquote', content: markdownToAdf(quoted.join('\n')).content });
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && (para.length === 0 || !isBlockStart(lines[i]!))) para.push(lines[i++]!);
    content.push(paragraph(para));
  }
  return { type: 'doc', version: 1, content };
}

function isBlockStart(line: string): boolean {
  return /^\s*```/.test(line) || /^#{1,6}\s/.test(line) || BULLET.test(line) || NUMBERED.test(line) || /^\s*>/.test(line);
}

/** An ADF document (or a plain string, as some webhooks send) → readable text. */
export function adfToText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (!node || typeof node !== 'object') return '';
  const n = node as AdfNode;
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'hardBreak') return '\n';
  const parts = (n.content ?? []).map(adfToText);
  switch (n.type) {
    case 'doc':
    case 'blockquote':
      return parts.join('\n\n');
    case 'bulletList':
      return parts.map((p) => `- ${p}`).join('\n');
    case 'orderedList':
      return parts.map((p, k) => `${k + 1}. ${p}`).join('\n');
    case 'listItem':
      return parts.join('\n');
    default:
      return parts.join('');
  }
}
