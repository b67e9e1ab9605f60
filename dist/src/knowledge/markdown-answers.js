/**
 * Known answers written by the team as Markdown: one answer per file, or one per `##` section.
 * Optional YAML front matter: `id`, `title`, `category`, `tags`, `split` (false keeps a file
 * with `##` headings as one answer). An answer's id is the front matter `id`, else the file
 * name without extension, plus `#section-slug` for a `##` section.
 */
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FrontdeskError } from '../domain/errors.js';
/** A Markdown file that cannot be used; the message names the file and what to fix. */
export class KnowledgeFileInvalidError extends FrontdeskError {
    file;
    constructor(file, problem) {
        super('frontdesk_knowledge_file_invalid', `${file}: ${problem}`);
        this.file = file;
    }
}
/** Ids: letters, digits, dot, dash, underscore; a section adds `#slug`. */
export const ANSWER_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*(#[a-z0-9][a-z0-9-]*)?$/;
/** Longest answer body kept (longer bodies are refused, not cut: an answer is the team's words). */
export const MAX_ANSWER_CHARS = 8000;
const frontMatterSchema = z
    .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected an id of letters, digits, ".", "-" or "_", like "reset-password"' }).optional(),
    title: z.string().min(1, { error: 'expected a non-empty title' }).optional(),
    category: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a category id like "billing"' }).optional(),
    tags: z
        .union([z.array(z.union([z.string(), z.number()])), z.string()], { error: 'expected a list of tags like [invoice, receipt]' })
        .transform((t) => (typeof t === 'string' ? t.split(',') : t.map(String)).map((s) => s.trim()).filter(Boolean))
        .optional(),
    split: z.boolean({ error: 'expected true or false' }).optional(),
})
    .strict();
/**
 * A heading as a URL-style slug.
 * @example slugify('Lost your phone?') // 'lost-your-phone'
 */
export function slugify(s) {
    return (s
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 80) || 'section');
}
function humanise(name) {
    const s = name.replace(/[-_]+/g, ' ').trim();
    return s ? s[0].toUpperCase() + s.slice(1) : name;
}
/**
 * Parse one Markdown file's text into answers. `file` is used in errors and for the default id.
 * Throws KnowledgeFileInvalidError naming the file and the problem.
 * @example parseAnswerFile('---\ncategory: access\n---\n# Reset your password\nGo to …', 'reset-password.md')[0].id // 'reset-password'
 */
export function parseAnswerFile(text, file) {
    const src = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
    let data = {};
    let body = src;
    if (src.startsWith('---\n')) {
        const end = src.indexOf('\n---', 4);
        if (end < 0)
            throw new KnowledgeFileInvalidError(file, 'the front matter starts with "---" but has no closing "---" line');
        try {
            data = parseYaml(src.slice(4, end)) ?? {};
        }
        catch (e) {
            throw new KnowledgeFileInvalidError(file, `cannot parse the front matter YAML: ${e.message.split('\n')[0]}`);
        }
        body = src.slice(end + 4).replace(/^[^\n]*\n?/, '');
    }
    const parsed = frontMatterSchema.safeParse(data);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (issue.code === 'unrecognized_keys')
            throw new KnowledgeFileInvalidError(file, `unknown front matter field(s) ${issue.keys.join(', ')}; allowed: id, title, category, tags, split`);
        throw new KnowledgeFileInvalidError(file, `front matter ${issue.path.map(String).join('.') || ''}: ${issue.message}`.replace(/ :/, ':'));
    }
    const fm = parsed.data;
    const fileId = fm.id ?? basename(file, extname(file));
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(fileId))
        throw new KnowledgeFileInvalidError(file, `the file name gives the id "${fileId}", which is not usable; rename the file or set "id:" in the front matter`);
    // Title: front matter, else the first "# " heading (removed from the body), else the file name.
    let title = fm.title;
    const h1 = /^[ \t]*#[ \t]+(.+?)[ \t#]*$/m.exec(body);
    if (h1 && body.slice(0, h1.index).trim() === '') {
        title ??= h1[1].trim();
        body = body.slice(h1.index + h1[0].length);
    }
    title ??= humanise(basename(file, extname(file)));
    const category = fm.category ?? null;
    const tags = fm.tags ?? [];
    const sections = splitSections(body);
    const answers = sections.length === 0 || fm.split === false
        ? [{ id: fileId, title, body: body.trim(), category, tags }]
        : sectionAnswers(sections, fileId, category, tags);
    for (const a of answers) {
        if (!a.body)
            throw new KnowledgeFileInvalidError(file, `the answer "${a.title}" has no text`);
        if (a.body.length > MAX_ANSWER_CHARS)
            throw new KnowledgeFileInvalidError(file, `the answer "${a.title}" is ${a.body.length} characters; keep answers under ${MAX_ANSWER_CHARS} (split it with "##" sections)`);
    }
    return answers;
}
/** `##` sections, ignoring headings inside fenced code blocks. Text before the first is dropped. */
function splitSections(body) {
    const out = [];
    let current = null;
    let fenced = false;
    for (const line of body.split('\n')) {
        if (/^\s*(```|~~~)/.test(line))
            fenced = !fenced;
        const m = fenced ? null : /^##[ \t]+(.+?)[ \t#]*$/.exec(line);
        if (m) {
            current = { heading: m[1].trim(), body: '' };
            out.push(current);
        }
        else if (current)
            current.body += `${line}\n`;
    }
    return out;
}
function sectionAnswers(sections, fileId, category, tags) {
    const used = new Map();
    return sections.map((s) => {
        let slug = slugify(s.heading);
        const n = (used.get(slug) ?? 0) + 1;
        used.set(slug, n);
        if (n > 1)
            slug = `${slug}-${n}`;
        return { id: `${fileId}#${slug}`, title: s.heading, body: s.body.trim(), category, tags };
    });
}
//# sourceMappingURL=markdown-answers.js.map