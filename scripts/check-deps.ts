/**
 * Checks the dependency rules in .dependency-cruiser.cjs with dependency-cruiser.
 *
 * dependency-cruiser reads TypeScript through the `typescript` package's JavaScript API, which
 * the native compiler (typescript@7) no longer has. So the sources are first turned into
 * JavaScript with esbuild (a file at a time, same paths, in a scratch folder inside the
 * repository so node_modules resolves), keeping every import: `import type` / `export type … from`
 * become plain imports first, so type-only dependencies are checked too. dependency-cruiser then
 * cruises that JavaScript; paths are reported as the .ts sources.
 *
 * `npm run deps` prints the violations; tests/core/architecture.test.ts fails on any.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { transformSync } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Folders mirrored as JavaScript (tests/ too, so an import of test code resolves and is caught). */
const MIRRORED = ['src', 'adapters', 'tests'];
/** Where the cruise starts. */
const ENTRY = ['src', 'adapters'];

export interface DependencyViolation {
  rule: string;
  from: string;
  to: string;
  /** The modules of a cycle, in order. */
  cycle?: string[];
}

export interface DependencyReport {
  violations: DependencyViolation[];
  /** Known violations (.dependency-cruiser-known-violations.json) that were found again. */
  known: DependencyViolation[];
  /** Known violations that no longer occur (remove them from the file). */
  fixed: DependencyViolation[];
  modules: number;
}

/** Keep type-only imports and re-exports as dependencies (esbuild drops them otherwise). */
export function keepTypeImports(code: string): string {
  return code.replace(/^(\s*)import type (?=[{*A-Za-z_$])/gm, '$1import ').replace(/^(\s*)export type (?=[{*])/gm, '$1export ');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function mirror(scratch: string, plant: Record<string, string>): void {
  const sources = new Map<string, string>();
  for (const top of MIRRORED) for (const file of tsFiles(join(ROOT, top))) sources.set(relative(ROOT, file), readFileSync(file, 'utf8'));
  for (const [path, code] of Object.entries(plant)) sources.set(path, code);
  for (const [path, source] of sources) {
    const { code } = transformSync(keepTypeImports(source), {
      loader: 'ts',
      format: 'esm',
      sourcefile: path,
      // Imports stay as written, even where only types are used.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    const out = join(scratch, path).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
}

const asSource = (p: string): string => p.replace(/\.js$/, '.ts');
/** A violation's identity; a cycle is known only along the same modules. */
const key = (v: DependencyViolation): string => `${v.rule}|${v.from}|${v.to}|${v.cycle?.join('>') ?? ''}`;

function toViolation(v: IViolation): DependencyViolation {
  const cycle = v.cycle?.map((c) => asSource(c.name));
  return { rule: v.rule.name, from: asSource(v.from), to: asSource(v.to), ...(cycle ? { cycle } : {}) };
}

/**
 * Run the rules; returns what breaks them. `plant`: extra TypeScript files (path relative to the
 * repository → source) checked as if they were in it (to show that a rule catches a violation).
 * @example const { violations } = await checkDependencies(); // [] when the layers hold
 */
export async function checkDependencies(opts: { plant?: Record<string, string> } = {}): Promise<DependencyReport> {
  const scratch = join(ROOT, 'test-artifacts', `deps-${process.pid}-${Date.now()}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    mirror(scratch, opts.plant ?? {});
    const require = (await import('node:module')).createRequire(import.meta.url);
    const config = require(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> };
    const known = JSON.parse(readFileSync(join(ROOT, '.dependency-cruiser-known-violations.json'), 'utf8')) as { violations: (DependencyViolation & { why: string })[] };
    const out = await cruise(ENTRY, {
      ...config.options,
      baseDir: scratch,
      validate: true,
      ruleSet: { forbidden: config.forbidden } as never,
    });
    const result = out.output as ICruiseResult;
    const found = result.summary.violations.map(toViolation);
    const knownKeys = new Set(known.violations.map(key));
    const foundKeys = new Set(found.map(key));
    return {
      violations: found.filter((v) => !knownKeys.has(key(v))),
      known: found.filter((v) => knownKeys.has(key(v))),
      fixed: known.violations.filter((v) => !foundKeys.has(key(v))).map(({ why: _why, ...v }) => v),
      modules: result.summary.totalCruised,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One line per violation, for people. */
export function describeViolation(v: DependencyViolation): string {
  return v.cycle ? `${v.rule}: ${v.from} → ${v.cycle.join(' → ')}` : `${v.rule}: ${v.from} → ${v.to}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await checkDependencies();
  for (const v of r.violations) console.log(describeViolation(v));
  for (const v of r.fixed) console.log(`fixed (remove from .dependency-cruiser-known-violations.json): ${describeViolation(v)}`);
  console.log(`${r.modules} modules cruised: ${r.violations.length} violation(s), ${r.known.length} known`);
  process.exitCode = r.violations.length || r.fixed.length ? 1 : 0;
}
