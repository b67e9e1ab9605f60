/**
 * Docker cannot run where frontdesk is developed, so the Dockerfile and compose.yaml are checked
 * statically against what the tests do run: the start command is the built entry point that
 * tests/service/built-service.test.ts starts, the build stage runs the package's build script
 * with every input it reads, the runtime is non-root with a health check on /healthz and the
 * database on the volume, and compose runs one replica (PostgreSQL is not supported yet).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dockerfile = readFileSync('Dockerfile', 'utf8');
/** Instructions with line continuations joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
const buildConfig = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { compilerOptions: { outDir: string; rootDir: string }; include: string[] };

function jsonArgs(instruction: string): string[] {
  const args = instructions.filter((l) => l.startsWith(`${instruction} `));
  expect(args, `one ${instruction}`).toHaveLength(1);
  return JSON.parse(args[0]!.slice(instruction.length + 1)) as string[];
}

describe('Dockerfile', () => {
  it('starts the built entry point with plain node, the one the service tests run', () => {
    const cmd = jsonArgs('CMD');
    expect(cmd).toEqual(['node', `${buildConfig.compilerOptions.outDir}/adapters/main.js`]);
    // dist/adapters/main.js is compiled from adapters/main.ts (rootDir "."), which `npm start` runs with tsx.
    expect(buildConfig.compilerOptions.rootDir).toBe('.');
    expect(existsSync('adapters/main.ts')).toBe(true);
    expect(pkg.scripts.start).toBe('tsx adapters/main.ts');
  });

  it('builds with the package build script in a first stage and keeps only production dependencies', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/^node:20-slim AS build/);
    expect(build).toContain('RUN npm ci');
    expect(build).toMatch(/RUN npm run build && npm prune --omit=dev/);
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    // Every input of the build is copied in before it runs.
    const copied = [...build.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const input of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'prompts', ...buildConfig.include])
      expect(copied, input).toContain(input);
    expect(runtime).toMatch(/^node:20-slim AS runtime/);
    expect(pkg.engines.node).toBe('>=20');
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(runtime).not.toMatch(/COPY (src|adapters|tests) /);
  });

  it('runs as a non-root user, checks /healthz, keeps the database on a volume and listens beyond the container', () => {
    const runtime = stages[1]!;
    const user = runtime.match(/^USER (\S+)$/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime.indexOf('USER ')).toBeLessThan(runtime.indexOf('CMD '));
    expect(instructions.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/\/healthz/);
    expect(runtime).toMatch(/FRONTDESK_DB=\/data\/frontdesk\.db/);
    expect(runtime).toContain('VOLUME ["/data"]');
    expect(runtime).toContain('chown node:node /data');
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime).toMatch(/PORT=3000/);
    expect(runtime).toContain('EXPOSE 3000');
  });

  it('leaves secrets, databases and build output out of the image context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const p of ['node_modules', 'dist', '.env', '*.db', 'data', 'frontdesk.config.yaml']) expect(ignored).toContain(p);
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
    services: Record<string, { build?: string; environment?: Record<string, string>; volumes?: unknown[]; stop_grace_period?: string; deploy?: unknown; command?: unknown }>;
  };

  it('runs one frontdesk on the SQLite volume, built from this Dockerfile with its start command', () => {
    expect(Object.keys(compose.services)).toEqual(['frontdesk']);
    const fd = compose.services.frontdesk!;
    expect(fd.build).toBe('.');
    expect(fd.command).toBeUndefined();
    expect(fd.deploy).toBeUndefined();
    expect(fd.environment?.FRONTDESK_DB).toBe('/data/frontdesk.db');
    expect(fd.environment).not.toHaveProperty('DATABASE_URL');
    expect(fd.volumes).toContain('frontdesk-data:/data');
  });

  it('gives the graceful stop more time than it may take', () => {
    const grace = Number(compose.services.frontdesk!.stop_grace_period?.match(/^(\d+)s$/)?.[1]) * 1000;
    const timeout = Number(dockerfile.match(/FRONTDESK_SHUTDOWN_TIMEOUT_MS=(\d+)/)?.[1]);
    expect(timeout).toBeGreaterThan(0);
    expect(grace).toBeGreaterThan(timeout);
  });

  it('describes the PostgreSQL and two-replica layout only as a comment, for when the store supports it', () => {
    const text = readFileSync('compose.yaml', 'utf8');
    expect(text).toMatch(/^# .*PostgreSQL and two replicas \(NOT supported yet\)/m);
    expect(text).toMatch(/^#\s+deploy: \{ replicas: 2 \}/m);
  });
});
