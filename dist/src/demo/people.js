export const DEMO_PEOPLE = [
    { id: 'alex', name: 'Alex Rivera', role: 'customer', org: 'Acme Corp' },
    { id: 'priya', name: 'Priya Nair', role: 'customer', org: 'Globex' },
    { id: 'jordan', name: 'Jordan Blake', role: 'customer', org: 'Initech' },
    { id: 'mei', name: 'Mei Tanaka', role: 'customer', org: 'Umbrella Health' },
    { id: 'dana', name: 'Dana Whitfield', role: 'agent', org: 'Support' },
    { id: 'sam', name: 'Sam Okafor', role: 'agent', org: 'Support' },
    { id: 'morgan', name: 'Morgan Lee', role: 'lead', org: 'Support lead' },
];
/** The person a new visitor is, before they switch: a customer, so the first thing they do is ask. */
export const DEFAULT_PERSON = 'alex';
/** Look a demo person up by id. */
export function demoPerson(id) {
    return DEMO_PEOPLE.find((p) => p.id === id);
}
/**
 * Make the demo people known to the core: names for mentions, agents and leads for permissions.
 * @example registerDemoPeople(core.directory)
 */
export function registerDemoPeople(directory) {
    for (const p of DEMO_PEOPLE)
        directory.setName(p.id, p.name);
    directory.addAgents(DEMO_PEOPLE.filter((p) => p.role === 'agent').map((p) => p.id));
    directory.addLeads(DEMO_PEOPLE.filter((p) => p.role === 'lead').map((p) => p.id));
    directory.setName('frontdesk', 'frontdesk');
}
//# sourceMappingURL=people.js.map