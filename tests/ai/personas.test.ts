/** Persona files: the shipped ones load; bad files fail with the file and field named. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPersonas, PersonaInvalidError, TEMPLATE_PLACEHOLDERS } from '../../src/ai/personas.js';
import { PROMPTS_DIR } from './helpers.js';

const SHIPPED = ['analyst', 'operations-lead', 'product-manager', 'support-engineer', 'support-specialist'];

describe('shipped personas', () => {
  const personas = loadPersonas(PROMPTS_DIR);

  it('are all present and valid', () => {
    expect([...personas.keys()].sort()).toEqual(SHIPPED);
  });

  it.each(SHIPPED)('%s has the required sections, tone examples and fallback templates', (id) => {
    const p = personas.get(id)!;
    expect(p.name).not.toBe('');
    expect(p.temperature).toBeGreaterThanOrEqual(0);
    expect(p.temperature).toBeLessThanOrEqual(1);
    for (const section of ['role', 'what good looks like', 'tone', 'escalation rules', 'boundaries']) expect(p.sections[section]).toBeTruthy();
    expect(p.sections.tone).toMatch(/Good:/);
    expect(p.sections.tone).toMatch(/Bad:/);
    expect(p.sections.boundaries).toMatch(/person|human/i);
    expect(p.templates.reply).toContain('{{key}}');
    expect(p.templates.stage).toBeTruthy();
    // The system prompt carries the body but not the offline templates.
    expect(p.prompt).toContain('## Role');
    expect(p.prompt).toContain('## Boundaries');
    expect(p.prompt).not.toContain('## Fallback templates');
    expect(p.prompt).not.toContain('{{');
  });

  it('the support engineer recognises out-of-scope requests and routes them', () => {
    const p = personas.get('support-engineer')!;
    expect(p.prompt).toMatch(/out-of-scope/i);
    expect(p.sections['escalation rules']).toMatch(/product owner/i);
  });
});

describe('loadPersonas validation', () => {
  let dir: string;
  const good = readFileSync(join(PROMPTS_DIR, 'analyst.md'), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-personas-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const expectError = (message: string) => {
    let err: unknown;
    try {
      loadPersonas(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PersonaInvalidError);
    expect((err as PersonaInvalidError).code).toBe('frontdesk_persona_invalid');
    expect((err as Error).message).toBe(message);
  };

  it('temperature out of range names file and field', () => {
    write('analyst.md', good.replace('temperature: 0.2', 'temperature: 1.5'));
    expectError(`${join(dir, 'analyst.md')}: temperature: expected a number between 0 and 1`);
  });

  it('temperature that is not a number', () => {
    write('analyst.md', good.replace('temperature: 0.2', 'temperature: warm'));
    expectError(`${join(dir, 'analyst.md')}: temperature: expected a number between 0 and 1`);
  });

  it('missing field', () => {
    write('analyst.md', good.replace(/^name: .*\n/m, ''));
    expectError(`${join(dir, 'analyst.md')}: name: is required (expected a display name)`);
  });

  it('max_tokens must be a whole number in range', () => {
    write('analyst.md', good.replace('max_tokens: 800', 'max_tokens: 100000'));
    expectError(`${join(dir, 'analyst.md')}: max_tokens: expected a whole number of tokens between 64 and 8192`);
  });

  it('unknown front matter field', () => {
    write('analyst.md', good.replace('tone:', 'colour: green\ntone:'));
    expectError(`${join(dir, 'analyst.md')}: colour: unknown field(s); allowed: id, name, description, model, temperature, max_tokens, tone`);
  });

  it('id must match the file name', () => {
    write('my-analyst.md', good);
    expectError(`${join(dir, 'my-analyst.md')}: id: expected "my-analyst" (the id must match the file name)`);
  });

  it('no front matter', () => {
    write('analyst.md', '# Analyst\n\nJust text.');
    expectError(`${join(dir, 'analyst.md')}: front matter: expected the file to start with YAML front matter between "---" lines`);
  });

  it('broken YAML', () => {
    write('analyst.md', '---\nid: [unclosed\n---\n## Role\nx');
    expect(() => loadPersonas(dir)).toThrow(/analyst\.md: front matter: cannot parse YAML/);
  });

  it('missing required section', () => {
    write('analyst.md', good.replace('## Boundaries', '## Limits'));
    expectError(`${join(dir, 'analyst.md')}: ## Boundaries: section is missing or empty`);
  });

  it('missing reply template', () => {
    write('analyst.md', good.replace('### reply', '### answer'));
    expectError(`${join(dir, 'analyst.md')}: Fallback templates.reply: expected a "### reply" template`);
  });

  it('unknown placeholder in a template', () => {
    write('analyst.md', good.replace('{{checks}}\n\n### stage', '{{checks}} {{customer_email}}\n\n### stage'));
    expectError(`${join(dir, 'analyst.md')}: Fallback templates.reply: unknown placeholder {{customer_email}}; known: ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
  });

  it('a team can add its own persona; files starting with _ are skipped', () => {
    write('analyst.md', good);
    write(
      'billing-desk.md',
      `---
id: billing-desk
name: Billing Desk
description: Replies for billing questions.
model: claude-haiku-4-5
temperature: 0
max_tokens: 600
tone: precise
---

## Role
You answer billing questions.

## Boundaries
Never promise refunds. You are not a human.

## Fallback templates

### reply
Hi {{requester}}, we are checking {{key}} with billing.
`,
    );
    write('_notes.md', 'not a persona');
    const personas = loadPersonas(dir);
    expect([...personas.keys()].sort()).toEqual(['analyst', 'billing-desk']);
    const p = personas.get('billing-desk')!;
    expect(p).toMatchObject({ model: 'claude-haiku-4-5', temperature: 0, maxTokens: 600, tone: 'precise' });
    expect(p.templates.stage).toBeUndefined();
  });

  it('a missing directory is reported', () => {
    expect(() => loadPersonas(join(dir, 'nope'))).toThrow(/personas\.dir: cannot read the persona directory/);
  });
});
