/**
 * Where the personas come from and the start-up check that every persona the configuration
 * and the handling plan name exists (a broken persona file stops start-up, naming file and field).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrontdeskConfig } from '../config/schema.js';
import { FrontdeskError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import { assertPlanPersonas } from './handling-plan.js';
import { loadPersonas, type Persona } from './personas.js';

/** The personas shipped with frontdesk (prompts/ at the package root). */
export const SHIPPED_PERSONAS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/**
 * Where personas are read from: the configured directory (relative to the working directory);
 * the default `prompts` falls back to the shipped personas when the working directory has none.
 */
export function personasDirFor(config: Pick<FrontdeskConfig, 'personas'>): string {
  const dir = config.personas.dir;
  return dir === 'prompts' && !existsSync(dir) ? SHIPPED_PERSONAS_DIR : dir;
}

/**
 * Load the persona files and check that the plan stages, `personas.default` and every channel's
 * `persona` exist. Throws a FrontdeskError naming the file and field (or the config field).
 * @example loadAndCheckPersonas(config, 'prompts').get('support-specialist')!.name // 'Support Specialist'
 */
export function loadAndCheckPersonas(config: Pick<FrontdeskConfig, 'personas' | 'channels'>, dir: string): Map<string, Persona> {
  const personas = loadPersonas(dir);
  assertPlanPersonas(personas);
  const known = [...personas.keys()].join(', ');
  const needed = [
    { field: 'personas.default', id: config.personas.default },
    ...config.channels.flatMap((c, i) => (c.persona ? [{ field: `channels[${i}].persona (${c.id})`, id: c.persona }] : [])),
  ];
  for (const n of needed)
    if (!personas.has(n.id))
      throw new FrontdeskError(
        'frontdesk_config_invalid',
        `${n.field}: there is no persona "${n.id}" in ${dir} (found: ${known}). Add ${n.id}.md there or use one of those ids.`,
      );
  return personas;
}

/**
 * The persona for suggested replies in the ticket's channel (else `personas.default`).
 * @example personaFor(config, personas, ticket).id // 'support-specialist'
 */
export function personaFor(config: Pick<FrontdeskConfig, 'personas' | 'channels'>, personas: ReadonlyMap<string, Persona>, t: Ticket): Persona {
  const id = config.channels.find((c) => c.id === t.channelId)?.persona ?? config.personas.default;
  return personas.get(id) ?? personas.get(config.personas.default)!;
}
