/**
 * @example
 * renderTemplate('Hi {{requester}}.\nSeen before:\n{{similar}}', { requester: 'Ana' }) // 'Hi Ana.'
 */
export function renderTemplate(template, vars) {
    const value = (name) => {
        const v = vars[name];
        return typeof v === 'string' ? v.trim() : '';
    };
    const lines = template.split(/\r?\n/);
    const kept = lines.map((line) => {
        const names = [...line.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]);
        if (names.some((n) => value(n) === ''))
            return null;
        return line.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, n) => value(n));
    });
    for (let i = 0; i < kept.length - 1; i++) {
        if (kept[i + 1] === null && lines[i + 1]?.trim() !== '' && kept[i]?.trimEnd().endsWith(':') && !/\{\{/.test(lines[i] ?? ''))
            kept[i] = null;
    }
    return kept
        .filter((l) => l !== null)
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}
/** Format a list as "- item" lines (empty list → empty string, so the line is left out). */
export function bulletList(items) {
    return items.map((i) => `- ${i}`).join('\n');
}
/** Format a list as "1. item" lines. */
export function numberedList(items) {
    return items.map((i, n) => `${n + 1}. ${i}`).join('\n');
}
//# sourceMappingURL=render-template.js.map