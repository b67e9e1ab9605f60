/**
 * Personas: Markdown files with YAML front matter in the prompts directory (data, not code).
 * Front matter: id, name, description, model, temperature, max_tokens, tone. Body: `## Role`,
 * `## Boundaries`, ... (the system prompt) and `## Fallback templates` with `### reply` (and
 * optionally `### stage`) used when Claude is not available. Teams add their own files next to ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FrontdeskError } from '../domain/errors.js';
/** Placeholders a fallback template may use; anything else is rejected when the persona loads. */
export const TEMPLATE_PLACEHOLDERS = [
    'key',
    'title',
    'category',
    'priority',
    'team',
    'requester',
    'first_response_due',
    'next_step',
    'expected_outcome',
    'escalation_path',
    'similar',
    'similar_tickets',
    'diagnostics',
    'customer_goal',
    'owner',
    'escalation',
    'steps',
    'checks',
    'follow_ups',
];
/** Body sections every persona must have (compared case-insensitively). */
export const REQUIRED_SECTIONS = ['role', 'boundaries', 'fallback templates'];
/** A persona file that cannot be used; the message names the file and the field. */
export class PersonaInvalidError extends FrontdeskError {
    file;
    field;
    constructor(file, field, problem) {
        super('frontdesk_persona_invalid', `${file}: ${field}: ${problem}`);
        this.file = file;
        this.field = field;
    }
}
const frontMatterSchema = z
    .object({
    id: z
        .string({ error: 'expected a persona id like "support-specialist"' })
        .regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a kebab-case id like "support-specialist"' }),
    name: z.string({ error: 'expected a display name' }).min(1, { error: 'expected a display name' }),
    description: z.string({ error: 'expected a one-line description' }).min(1, { error: 'expected a one-line description' }),
    model: z.string({ error: 'expected a model id or "default"' }).min(1, { error: 'expected a model id or "default"' }),
    temperature: z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'expected a number between 0 and 1' }).max(1, {
        error: 'expected a number between 0 and 1',
    }),
    max_tokens: z
        .number({ error: 'expected a whole number of tokens between 64 and 8192' })
        .int({ error: 'expected a whole number of tokens between 64 and 8192' })
        .min(64, { error: 'expected a whole number of tokens between 64 and 8192' })
        .max(8192, { error: 'expected a whole number of tokens between 64 and 8192' }),
    tone: z.string({ error: 'expected a short description of the tone' }).min(1, { error: 'expected a short description of the tone' }),
})
    .strict();
/** Split `## Heading` sections (or `### Heading` with level 3) into a map by lower-cased heading. */
function splitSections(markdown, level) {
    const marker = `${'#'.repeat(level)} `;
    const order = [];
    const map = {};
    const raw = {};
    let current = null;
    let lines = [];
    let rawLines = [];
    const flush = () => {
        if (current !== null) {
            map[current] = lines.join('\n').trim();
            raw[current] = rawLines.join('\n');
        }
    };
    for (const line of markdown.split(/\r?\n/)) {
        if (line.startsWith(marker)) {
            flush();
            current = line.slice(marker.length).trim().toLowerCase();
            order.push(current);
            lines = [];
            rawLines = [line];
        }
        else if (current !== null) {
            lines.push(line);
            rawLines.push(line);
        }
    }
    flush();
    return { order, map, raw };
}
/**
 * Parse one persona file's text. Throws PersonaInvalidError naming `file` and the field.
 *
 * @example
 * parsePersona(readFileSync('prompts/analyst.md', 'utf8'), 'prompts/analyst.md').temperature // 0.2
 */
export function parsePersona(text, file) {
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!m)
        throw new PersonaInvalidError(file, 'front matter', 'expected the file to start with YAML front matter between "---" lines');
    let data;
    try {
        data = parseYaml(m[1] ?? '');
    }
    catch (e) {
        throw new PersonaInvalidError(file, 'front matter', `cannot parse YAML: ${e.message}`);
    }
    const parsed = frontMatterSchema.safeParse(data ?? {});
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (issue.code === 'unrecognized_keys')
            throw new PersonaInvalidError(file, issue.keys.join(', '), `unknown field(s); allowed: ${Object.keys(frontMatterSchema.shape).join(', ')}`);
        const field = issue.path.map(String).join('.') || 'front matter';
        const top = issue.path[0];
        const missing = typeof top === 'string' && (data === null || typeof data !== 'object' || !(top in data));
        throw new PersonaInvalidError(file, field, missing ? `is required (${issue.message})` : issue.message);
    }
    const fm = parsed.data;
    const expectedId = basename(file).replace(/\.md$/i, '');
    if (fm.id !== expectedId)
        throw new PersonaInvalidError(file, 'id', `expected "${expectedId}" (the id must match the file name)`);
    const body = m[2] ?? '';
    const sections = splitSections(body, 2);
    for (const req of REQUIRED_SECTIONS) {
        if (!(req in sections.map) || sections.map[req] === '')
            throw new PersonaInvalidError(file, `## ${req[0].toUpperCase()}${req.slice(1)}`, 'section is missing or empty');
    }
    const templateSection = sections.map['fallback templates'] ?? '';
    const templates = splitSections(templateSection, 3).map;
    if (!templates.reply)
        throw new PersonaInvalidError(file, 'Fallback templates.reply', 'expected a "### reply" template');
    for (const [name, tpl] of Object.entries(templates)) {
        for (const ph of tpl.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
            if (!TEMPLATE_PLACEHOLDERS.includes(ph[1] ?? ''))
                throw new PersonaInvalidError(file, `Fallback templates.${name}`, `unknown placeholder {{${ph[1]}}}; known: ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
        }
    }
    const promptSections = sections.order.filter((s) => s !== 'fallback templates');
    const prompt = promptSections.map((s) => sections.raw[s].trim()).join('\n\n');
    const bodySections = Object.fromEntries(promptSections.map((s) => [s, sections.map[s] ?? '']));
    return {
        id: fm.id,
        name: fm.name,
        description: fm.description,
        model: fm.model,
        temperature: fm.temperature,
        maxTokens: fm.max_tokens,
        tone: fm.tone,
        prompt,
        sections: bodySections,
        templates,
        file,
    };
}
/**
 * Load every `*.md` persona in `dir` (files starting with `_` or `.` are skipped), validated.
 * Throws PersonaInvalidError on the first bad file, e.g.
 * `prompts/analyst.md: temperature: expected a number between 0 and 1`.
 *
 * @example
 * const personas = loadPersonas(config.personas.dir);
 * const p = personas.get('support-specialist');
 */
export function loadPersonas(dir) {
    let names;
    try {
        names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.md') && !n.startsWith('_') && !n.startsWith('.'));
    }
    catch (e) {
        throw new PersonaInvalidError(dir, 'personas.dir', `cannot read the persona directory: ${e.message}`);
    }
    const out = new Map();
    for (const name of names.sort()) {
        const file = join(dir, name);
        const persona = parsePersona(readFileSync(file, 'utf8'), file);
        out.set(persona.id, persona);
    }
    return out;
}
//# sourceMappingURL=personas.js.map