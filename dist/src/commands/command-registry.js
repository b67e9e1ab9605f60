export class CommandRegistry {
    specs = new Map();
    register(spec) {
        this.specs.set(spec.name, spec);
    }
    get(name) {
        return this.specs.get(name);
    }
    all() {
        return [...this.specs.values()];
    }
}
/**
 * Split a command line into words, keeping "quoted strings" together.
 * @example tokenizeCommand('note T-1 "call back at 3"') // ['note', 'T-1', 'call back at 3']
 */
export function tokenizeCommand(text) {
    const out = [];
    const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
    for (const m of text.matchAll(re))
        out.push(m[1] ?? m[2] ?? m[3]);
    return out;
}
/** A user reference as typed: <@U123>, <@U123|name>, @U123 or U123 → U123. */
export function parseUserRef(s) {
    if (!s)
        return null;
    const m = s.match(/^<@([^>|]+)(?:\|[^>]*)?>$/) ?? s.match(/^@?([A-Za-z0-9._:-]+)$/);
    return m ? m[1] : null;
}
//# sourceMappingURL=command-registry.js.map