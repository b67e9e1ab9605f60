/**
 * The Teams app manifest validates against Microsoft's official schema (v1.29, JSON Schema
 * draft-04; a copy is in tests/fixtures, MIT-licensed by Microsoft), its command lists name
 * commands the shared parser knows, its icons have the sizes and colours Teams requires, and
 * the packaging script produces a zip whose manifest still validates.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync, inflateSync } from 'node:zlib';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PERSONAL_ALIASES } from '../../adapters/teams/bot.js';
import { colorIcon, outlineIcon } from '../../adapters/teams/icons.js';
import { manifestFor, packageApp } from '../../adapters/teams/package-app.js';
import { createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/db.js';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url));
const schema = JSON.parse(read('../fixtures/teams-manifest.schema.json').toString('utf8')) as Record<string, unknown>;
const manifest = JSON.parse(read('../../adapters/teams/manifest.json').toString('utf8'));
const APP_ID = '11111111-2222-3333-4444-555555555555';

function validator() {
  // Both packages are CommonJS with `exports.default` set: use it explicitly under NodeNext.
  const ajv = new Ajv04Module.default({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv.compile(schema);
}

/** Decode a PNG (any filter) into its size, colour type and RGBA pixels. */
function decodePng(buf: Buffer): { width: number; height: number; colorType: number; bitDepth: number; pixels: Buffer } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let i = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let bitDepth = 0;
  const idat: Buffer[] = [];
  while (i < buf.length) {
    const len = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('ascii');
    const data = buf.subarray(i + 8, i + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colorType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    i += 12 + len;
  }
  const bpp = 4;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? pixels[y * stride + x - bpp]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      if (pred === undefined) throw new Error(`bad PNG filter ${filter}`);
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, colorType, bitDepth, pixels };
}

/** Read a zip's entries (name → bytes) via its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('Teams app manifest', () => {
  it('validates against Microsoft\'s schema v1.29 (draft-04)', () => {
    const validate = validator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(manifest.manifestVersion).toBe('1.29');
  });

  it('the validator really rejects broken manifests', () => {
    const validate = validator();
    expect(validate({ ...manifest, manifestVersion: '1.17' })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], botId: 'not-a-guid' }] })).toBe(false);
    expect(validate({ ...manifest, icons: { color: 'color.png' } })).toBe(false);
  });

  it('declares a conversational bot for team, group chat and personal scopes, with valid domains', () => {
    const bot = manifest.bots[0];
    expect(bot.scopes).toEqual(['team', 'groupChat', 'personal']);
    expect(bot.isNotificationOnly).toBe(false);
    expect(manifest.validDomains.length).toBeGreaterThan(0);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('command lists name commands the shared parser knows (personal also "my tickets"), within Teams\' limits', () => {
    const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:'), env: {}, logger: createLogger({ LOG_LEVEL: 'silent' }) });
    installSlaAndDigest(core, { schedule: false });
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(12);
      for (const c of list.commands) {
        const known = core.commands.get(c.title) !== undefined || (list.scopes.includes('personal') && (PERSONAL_ALIASES as readonly string[]).includes(c.title));
        expect(known, `${list.scopes.join('/')}: "${c.title}"`).toBe(true);
      }
    }
    void core.close();
  });

  it('icons: color.png is 192x192, outline.png is 32x32 white on transparent; both match icons.ts', () => {
    const color = read('../../adapters/teams/color.png');
    const outline = read('../../adapters/teams/outline.png');
    const c = decodePng(color);
    expect([c.width, c.height]).toEqual([192, 192]);
    const o = decodePng(outline);
    expect([o.width, o.height, o.colorType, o.bitDepth]).toEqual([32, 32, 6, 8]);
    let white = 0;
    for (let i = 0; i < o.pixels.length; i += 4) {
      const [r, g, b, a] = [o.pixels[i]!, o.pixels[i + 1]!, o.pixels[i + 2]!, o.pixels[i + 3]!];
      if (a === 0) continue;
      expect([r, g, b]).toEqual([255, 255, 255]);
      white++;
    }
    expect(white).toBeGreaterThan(50);
    expect(white).toBeLessThan(32 * 32 - 200); // mostly transparent
    expect(color.equals(colorIcon())).toBe(true);
    expect(outline.equals(outlineIcon())).toBe(true);
  });

  it('the app package holds the manifest (with the app id and public host) and both icons, and still validates', () => {
    const files = unzip(packageApp({ MICROSOFT_APP_ID: APP_ID, FRONTDESK_PUBLIC_URL: 'https://support-bot.acme.test/api/messages' }));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const m = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(m.id).toBe(APP_ID);
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.validDomains).toEqual(['support-bot.acme.test']);
    const validate = validator();
    expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
    expect(files.get('color.png')!.equals(read('../../adapters/teams/color.png'))).toBe(true);
    expect(() => manifestFor({ appId: 'nope' })).toThrow(/GUID/);
    expect(() => packageApp({})).toThrow(/MICROSOFT_APP_ID/);
  });
});
