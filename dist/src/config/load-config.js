/**
 * Loads the configuration from FRONTDESK_CONFIG (default ./frontdesk.config.yaml), YAML or JSON.
 * No file at all → defaults. A broken file → ConfigInvalidError with one line per problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigInvalidError } from '../domain/errors.js';
import { configSchema } from './schema.js';
/** Turn zod issues into `path.to.field: message` lines. */
export function formatIssues(issues) {
    return issues.map((i) => {
        const path = i.path.map(String).join('.') || '(top level)';
        let msg = i.message;
        if (i.code === 'unrecognized_keys')
            msg = `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')} — check the spelling against frontdesk.config.example.yaml`;
        else if (i.code === 'invalid_type' && /received undefined/.test(msg))
            msg = `is required (${msg})`;
        return `${path}: ${msg}`;
    });
}
/** Validate an already-parsed object. */
export function parseConfig(raw, source = 'configuration') {
    const result = configSchema.safeParse(raw ?? {});
    if (!result.success)
        throw new ConfigInvalidError(formatIssues(result.error.issues), source);
    const cfg = result.data;
    const problems = [];
    const teamIds = new Set(cfg.teams.map((t) => t.id));
    const cats = new Set(cfg.categories);
    if (!teamIds.has(cfg.routing.defaultTeam))
        problems.push(`routing.defaultTeam: team "${cfg.routing.defaultTeam}" is not defined under teams (known: ${[...teamIds].join(', ')})`);
    for (const [cat, team] of Object.entries(cfg.routing.categoryTeams)) {
        if (!cats.has(cat))
            problems.push(`routing.categoryTeams.${cat}: "${cat}" is not in categories`);
        if (!teamIds.has(team))
            problems.push(`routing.categoryTeams.${cat}: team "${team}" is not defined under teams`);
    }
    const supportIds = new Set(cfg.channels.map((c) => c.id));
    cfg.channels.forEach((c, i) => {
        if (c.team && !teamIds.has(c.team))
            problems.push(`channels.${i}.team: team "${c.team}" is not defined under teams`);
        if (c.triageChannel && supportIds.has(c.triageChannel))
            problems.push(`channels.${i}.triageChannel: "${c.triageChannel}" is also listed as a support channel; a triage channel is private to agents — use another channel`);
    });
    if (cfg.triageChannel && supportIds.has(cfg.triageChannel))
        problems.push(`triageChannel: "${cfg.triageChannel}" is also listed under channels as a support channel; a triage channel is private to agents — use another channel`);
    cfg.triage.rules.forEach((r, i) => {
        if (r.category && !cats.has(r.category))
            problems.push(`triage.rules.${i}.category: "${r.category}" is not in categories`);
        for (const m of r.match) {
            if (m.length > 2 && m.startsWith('/') && m.endsWith('/')) {
                try {
                    new RegExp(m.slice(1, -1), 'i');
                }
                catch (e) {
                    problems.push(`triage.rules.${i}.match: invalid regular expression ${m}: ${e.message}`);
                }
            }
        }
    });
    cfg.ai.redactPatterns.forEach((p, i) => {
        try {
            new RegExp(p, 'g');
        }
        catch (e) {
            problems.push(`ai.redactPatterns.${i}: invalid regular expression: ${e.message}`);
        }
    });
    const sorted = [...cfg.sla.thresholds].sort((a, b) => a - b);
    if (sorted.join() !== cfg.sla.thresholds.join())
        problems.push('sla.thresholds: list the fractions in ascending order, e.g. [0.5, 0.75, 0.9, 1]');
    if (problems.length)
        throw new ConfigInvalidError(problems, source);
    return cfg;
}
/** Read and validate the config file named by env (FRONTDESK_CONFIG) or the default path. */
export function loadConfig(env = process.env) {
    const explicit = env.FRONTDESK_CONFIG;
    const path = explicit || './frontdesk.config.yaml';
    if (!existsSync(path)) {
        if (explicit)
            throw new ConfigInvalidError([`FRONTDESK_CONFIG points to ${path}, which does not exist — fix the path or unset it to run on defaults`], path);
        return { config: parseConfig({}, 'defaults'), source: null };
    }
    let raw;
    const text = readFileSync(path, 'utf8');
    try {
        raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    }
    catch (e) {
        throw new ConfigInvalidError([`cannot parse ${path}: ${e.message}`], path);
    }
    if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw)))
        throw new ConfigInvalidError(['(top level): expected a mapping of settings, e.g. "timezone: Europe/Berlin"'], path);
    return { config: parseConfig(raw, path), source: path };
}
//# sourceMappingURL=load-config.js.map