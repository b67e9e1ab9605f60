/**
 * Build the Teams app package: a zip with manifest.json (the bot's app id filled in and the
 * public host as valid domain) and the two icons at its root, ready to upload in Teams
 * ("Apps → Manage your apps → Upload an app") or the Teams admin center.
 *
 *   MICROSOFT_APP_ID=… FRONTDESK_PUBLIC_URL=https://frontdesk.example.org npx tsx adapters/teams/package-app.ts [out.zip]
 *
 * The zip is written with node:zlib (no archive library).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { FrontdeskError } from '../../src/domain/errors.js';
import { crc32 } from './icons.js';
const DIR = fileURLToPath(new URL('./', import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A minimal ZIP archive (deflate, no directories, no timestamps).
 * @example zip([{ name: 'a.txt', data: Buffer.from('hi') }]).readUInt32LE(0) // 0x04034b50
 */
export function zip(entries) {
    const locals = [];
    const centrals = [];
    let offset = 0;
    for (const e of entries) {
        const name = Buffer.from(e.name, 'utf8');
        const data = deflateRawSync(e.data);
        const crc = crc32(e.data);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4); // version needed
        local.writeUInt16LE(0x0800, 6); // UTF-8 names
        local.writeUInt16LE(8, 8); // deflate
        local.writeUInt16LE(0, 10); // time
        local.writeUInt16LE(0x21, 12); // date: 1980-01-01
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(e.data.length, 22);
        local.writeUInt16LE(name.length, 26);
        local.writeUInt16LE(0, 28);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4); // version made by
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(0x0800, 8);
        central.writeUInt16LE(8, 10);
        central.writeUInt16LE(0, 12);
        central.writeUInt16LE(0x21, 14);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(e.data.length, 24);
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, name, data);
        centrals.push(central, name);
        offset += local.length + name.length + data.length;
    }
    const dir = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, dir, end]);
}
/** The manifest template shipped beside this file. */
export function manifestTemplate() {
    return JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8'));
}
/**
 * The manifest for one installation: app and bot id = the Azure Bot's Microsoft App ID, the
 * public host of the bot as the valid domain.
 */
export function manifestFor(opts) {
    if (!GUID.test(opts.appId))
        throw new FrontdeskError('frontdesk_config_invalid', `MICROSOFT_APP_ID must be the bot's GUID, got "${opts.appId}".`);
    const m = manifestTemplate();
    m.id = opts.appId;
    for (const b of m.bots)
        b.botId = opts.appId;
    for (const c of (m.composeExtensions ?? []))
        c.botId = opts.appId;
    if (opts.publicUrl) {
        let host;
        try {
            host = new URL(opts.publicUrl).host;
        }
        catch {
            throw new FrontdeskError('frontdesk_config_invalid', `FRONTDESK_PUBLIC_URL must be a URL like https://frontdesk.example.org, got "${opts.publicUrl}".`);
        }
        m.validDomains = [host];
    }
    if (opts.version)
        m.version = opts.version;
    return m;
}
/** The app package (zip) for an environment. */
export function packageApp(env) {
    const appId = env.MICROSOFT_APP_ID?.trim();
    if (!appId)
        throw new FrontdeskError('frontdesk_config_invalid', 'set MICROSOFT_APP_ID to the Azure Bot\'s Microsoft App ID to build the Teams app package.');
    const manifest = manifestFor({ appId, publicUrl: env.FRONTDESK_PUBLIC_URL?.trim() || null, version: env.FRONTDESK_TEAMS_APP_VERSION?.trim() || undefined });
    return zip([
        { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
        { name: 'color.png', data: readFileSync(`${DIR}color.png`) },
        { name: 'outline.png', data: readFileSync(`${DIR}outline.png`) },
    ]);
}
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const out = process.argv[2] ?? 'frontdesk-teams-app.zip';
    try {
        writeFileSync(out, packageApp(process.env));
        console.log(`wrote ${out}: upload it in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin center.`);
    }
    catch (e) {
        console.error(e instanceof FrontdeskError ? e.message : e);
        process.exit(1);
    }
}
//# sourceMappingURL=package-app.js.map