/**
 * Who `assign T-1042 @Sam` means: a platform mention (Slack's escaped `<@U123|sam>`, a Teams
 * mention turned into `<@id>`) is taken as it is — the platform vouches for it; anything typed
 * by hand must be someone the directory knows, by id or by a name they go by (display name,
 * first name, real name, handle; case and spaces/dots ignored). Unknown or ambiguous names are
 * an error that says what to type instead, never an owner who does not exist.
 */
import { InputInvalidError } from '../domain/errors.js';
const norm = (s) => s.toLowerCase().replace(/^@/, '').replace(/[\s._-]+/g, '');
/**
 * Resolve a typed person to a user id.
 * @example resolvePerson(directory, '@Sam', 'dana') // 'sam' (Sam Okafor) in the playground
 * @example resolvePerson(directory, '<@U0ANA|ana>', 'U0BEN') // 'U0ANA'
 */
export function resolvePerson(directory, typed, actorId) {
    const ref = typed.trim();
    if (ref === 'me' || ref === '@me')
        return actorId;
    const mention = /^<@([^>|]+)(?:\|[^>]*)?>$/.exec(ref);
    if (mention)
        return mention[1];
    const bare = ref.replace(/^@/, '');
    if (directory.knows(bare))
        return bare;
    const key = norm(bare);
    const people = directory.people();
    const byId = people.filter((p) => p.id.toLowerCase() === bare.toLowerCase());
    if (byId.length === 1)
        return byId[0].id;
    const matches = people.filter((p) => p.names.some((n) => norm(n) === key || norm(n.split(/\s+/)[0] ?? '') === key));
    if (matches.length === 1)
        return matches[0].id;
    const label = (id) => (directory.nameOf(id) === id ? `\`${id}\`` : `${directory.nameOf(id)} (\`${id}\`)`);
    if (matches.length > 1)
        throw new InputInvalidError(`"${ref}" could be ${matches.map((p) => label(p.id)).join(' or ')}. Use their full name or id, or mention them.`);
    const agents = people.filter((p) => directory.isAgent(p.id) && p.id !== 'frontdesk').map((p) => label(p.id));
    throw new InputInvalidError(`I don't know anyone called "${ref}". Mention them (type @ and pick the person from the list) or use their user id${agents.length ? `; agents here: ${agents.slice(0, 10).join(', ')}` : ''}.`);
}
//# sourceMappingURL=resolve-person.js.map