/**
 * Dependency rules for frontdesk, checked by dependency-cruiser (scripts/check-deps.ts, run by
 * tests/core/architecture.test.ts and `npm run deps`). Paths are relative to the repository
 * root. Known violations that are still to be fixed are listed, with the reason, in
 * .dependency-cruiser-known-violations.json; anything new fails.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-adapters',
      comment: 'The core (src/) is platform-neutral: adapters depend on it, never the other way round.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'core-not-to-chat-sdks',
      comment: 'Chat SDKs (Slack Bolt, botbuilder) are for the adapters only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: 'node_modules/(@slack|botbuilder[^/]*|botframework[^/]*|@microsoft)/' },
    },
    {
      name: 'domain-and-ports-stand-alone',
      comment: 'src/domain and src/ports depend only on each other, node built-ins and zod.',
      severity: 'error',
      from: { path: '^src/(domain|ports)/' },
      to: { pathNot: ['^src/(domain|ports)/', 'node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'slack-not-to-teams',
      comment: 'Each chat adapter stands on the core alone.',
      severity: 'error',
      from: { path: '^adapters/slack/' },
      to: { path: '^adapters/teams/' },
    },
    {
      name: 'teams-not-to-slack',
      comment: 'Each chat adapter stands on the core alone.',
      severity: 'error',
      from: { path: '^adapters/teams/' },
      to: { path: '^adapters/slack/' },
    },
    {
      name: 'not-to-entry-points',
      comment: 'adapters/main.ts (npm start) and adapters/cli.ts (frontdesk) run when imported: build on the composition root, adapters/compose.ts, instead.',
      severity: 'error',
      from: {},
      to: { path: '^adapters/(main|cli)[.](ts|js)$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (type-only imports count: they tie the modules together just the same).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-tests',
      comment: 'Shipped code never imports test code.',
      severity: 'error',
      from: { path: '^(src|adapters)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a rule cannot check an edge it cannot see).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
    // Resolve packages as Node does for ESM (package.json "exports"), e.g. @octokit/rest has no "main".
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'require'],
      mainFields: ['module', 'main'],
    },
  },
};
