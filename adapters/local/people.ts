/**
 * The demo people of the local playground and `frontdesk demo`: customers, two agents and a
 * lead. They exist only in the playground (registered in the core's Directory when it runs);
 * real deployments take agents and leads from the configuration.
 */
import type { Directory } from '../../src/routing/directory.js';

export type DemoRole = 'customer' | 'agent' | 'lead';

export interface DemoPerson {
  id: string;
  name: string;
  role: DemoRole;
  /** Shown next to the name in the "you are" switch. */
  org: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
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
export function demoPerson(id: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.id === id);
}

/**
 * Make the demo people known to the core: names for mentions, agents and leads for permissions.
 * @example registerDemoPeople(core.directory)
 */
export function registerDemoPeople(directory: Directory): void {
  for (const p of DEMO_PEOPLE) directory.setName(p.id, p.name);
  directory.addAgents(DEMO_PEOPLE.filter((p) => p.role === 'agent').map((p) => p.id));
  directory.addLeads(DEMO_PEOPLE.filter((p) => p.role === 'lead').map((p) => p.id));
  directory.setName('frontdesk', 'frontdesk');
}
