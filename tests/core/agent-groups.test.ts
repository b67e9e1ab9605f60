import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/ports/clock.js';
import { changeAgentGroup, refreshAgentGroups, replaceAgentGroup } from '../../src/routing/agent-groups.js';
import { Directory } from '../../src/routing/directory.js';
import { openStore } from '../../src/store/kysely/open-store.js';

describe('agent user groups through the store', () => {
  it('every replica sees group changes, removals take effect, and a restart keeps them', async () => {
    const config = parseConfig({ agentGroups: ['S1'], agents: ['U0CONFIG'] });
    const store = await openStore(':memory:');
    const clock = new ManualClock(1_767_225_600_000);
    try {
      const a = { directory: new Directory(config), store, clock };
      const b = { directory: new Directory(config), store, clock };
      await replaceAgentGroup(a, 'S1', ['U1', 'U2']);
      await replaceAgentGroup(a, 'S9', ['U9']); // not an agent group: stored, never an agent
      expect(a.directory.isAgent('U1')).toBe(true);
      expect(b.directory.isAgent('U1')).toBe(false);
      await refreshAgentGroups(b);
      expect(b.directory.isAgent('U2')).toBe(true);
      expect(b.directory.isAgent('U9')).toBe(false);

      await changeAgentGroup(b, 'S1', ['U3'], ['U1', 'U0CONFIG']);
      expect(b.directory.isAgent('U1')).toBe(false);
      expect(b.directory.isAgent('U3')).toBe(true);
      expect(b.directory.isAgent('U0CONFIG')).toBe(true); // listed in config
      await refreshAgentGroups(a);
      expect(a.directory.agentIds().sort()).toEqual(['U0CONFIG', 'U2', 'U3']);

      const restarted = { directory: new Directory(config), store, clock };
      await refreshAgentGroups(restarted);
      expect(restarted.directory.isAgent('U3')).toBe(true);
      expect(restarted.directory.knows('U2')).toBe(true);
    } finally {
      await store.close();
    }
  });
});
