/** Where issues go (config routes) and how a typed issue reference is read. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { parseIssueRef } from '../../src/handoff/handoff.js';
import { defaultChoices, routeFor } from '../../src/handoff/targets.js';

const config = parseConfig({
  trackers: {
    github: { repo: 'acme/app', labels: ['support'] },
    jira: { site: 'https://acme.atlassian.net', project: 'OPS' },
    default: 'github',
    routes: [
      { category: 'billing', tracker: 'jira' },
      { team: 'mobile', tracker: 'github', project: 'acme/mobile', labels: ['mobile'] },
    ],
  },
});

describe('routes', () => {
  it('the first matching route picks tracker and project (labels added); else the default', () => {
    expect(defaultChoices(config).map((c) => `${c.tracker}|${c.target.project}`)).toEqual(['github|acme/app', 'jira|OPS']);
    expect(routeFor(config, { category: 'billing', team: 'support' })).toEqual({ tracker: 'jira', target: { project: 'OPS', labels: [], issueType: 'Bug' } });
    expect(routeFor(config, { category: 'bug', team: 'mobile' })).toEqual({ tracker: 'github', target: { project: 'acme/mobile', labels: ['support', 'mobile'] } });
    expect(routeFor(config, { category: 'bug', team: 'support' })).toEqual({ tracker: 'github', target: { project: 'acme/app', labels: ['support'] } });
    expect(routeFor(parseConfig({}), { category: 'bug', team: 'support' })).toBeNull();
  });
});

describe('parseIssueRef', () => {
  it('reads GitHub, Jira and Linear keys and URLs; anything else is a search', () => {
    expect(parseIssueRef('acme/app#12')).toEqual({ kinds: ['github'], key: 'acme/app#12' });
    expect(parseIssueRef('https://github.com/acme/app/issues/12#issuecomment-1')).toEqual({ kinds: ['github'], key: 'acme/app#12' });
    expect(parseIssueRef('#12')).toEqual({ kinds: ['github'], key: '12', repoless: true });
    expect(parseIssueRef('https://acme.atlassian.net/browse/OPS-7')).toEqual({ kinds: ['jira'], key: 'OPS-7' });
    expect(parseIssueRef('https://linear.app/acme/issue/eng-42/title')).toEqual({ kinds: ['linear'], key: 'ENG-42' });
    expect(parseIssueRef('ENG-42')).toEqual({ kinds: ['jira', 'linear'], key: 'ENG-42' });
    expect(parseIssueRef('checkout blank page')).toBeNull();
  });
});
