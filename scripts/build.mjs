// `npm run build`: compile src/ and adapters/ to JavaScript in dist/ (tsconfig.build.json), then
// copy the files the code reads at run time next to it, at the same relative paths, so every
// `new URL('./…', import.meta.url)` in the sources finds them in dist/ too: SQL migrations,
// the playground's web page, Teams icons and manifest, demo and seed data, the shipped
// personas (prompts/) and package.json (the CLI's --version).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Another output directory (tests build into test-artifacts/); it must lie inside the
// repository so the built code finds node_modules.
const dist = resolve(root, process.argv[2] ?? 'dist');
if (relative(root, dist).startsWith('..') || dist === root) throw new Error(`build output must be a folder inside ${root}, got ${dist}`);

rmSync(dist, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit', cwd: root });

/** Every file under dir that is not TypeScript source, as paths relative to the repository root. */
function assets(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...assets(rel));
    else if (!name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

const copied = [...assets('src'), ...assets('adapters'), ...assets('prompts'), 'package.json'];
for (const rel of copied) cpSync(join(root, rel), join(dist, rel));
console.log(`built ${relative(process.cwd(), dist) || '.'}: compiled src/ and adapters/, copied ${copied.length} asset files`);
