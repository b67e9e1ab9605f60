/**
 * The Teams app icons, drawn in code and written as PNG with node:zlib (no image library):
 * color.png (192x192, full colour) and outline.png (32x32, white on transparent), as the Teams
 * app manifest requires. Run `npx tsx adapters/teams/icons.ts` to regenerate the files beside
 * manifest.json; a test checks the committed files match this code.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
/** CRC-32 (as PNG and ZIP use it). */
export function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf)
        c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
}
/**
 * Encode an RGBA image as PNG (8-bit, colour type 6, no interlace).
 * @example encodePng(1, 1, () => [255, 255, 255, 0]).subarray(1, 4).toString() // 'PNG'
 */
export function encodePng(width, height, pixel) {
    const raw = Buffer.alloc((width * 4 + 1) * height);
    let o = 0;
    for (let y = 0; y < height; y++) {
        raw[o++] = 0; // filter: none
        for (let x = 0; x < width; x++) {
            const [r, g, b, a] = pixel(x, y);
            raw[o++] = r;
            raw[o++] = g;
            raw[o++] = b;
            raw[o++] = a;
        }
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 6; // RGBA
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
/** Is (x, y) inside the ticket shape (a rounded rectangle with a notch on each side), in unit coordinates 0..1? */
function inTicket(x, y, inset = 0) {
    const left = 0.16 + inset;
    const right = 0.84 - inset;
    const top = 0.28 + inset;
    const bottom = 0.72 - inset;
    const r = 0.06;
    if (x < left || x > right || y < top || y > bottom)
        return false;
    // rounded corners
    const cx = Math.min(Math.max(x, left + r), right - r);
    const cy = Math.min(Math.max(y, top + r), bottom - r);
    if ((x - cx) ** 2 + (y - cy) ** 2 > r * r)
        return false;
    // notches (half circles cut into the left and right edges)
    const notch = 0.07 + inset;
    if ((x - 0.16) ** 2 + (y - 0.5) ** 2 < notch * notch)
        return false;
    if ((x - 0.84) ** 2 + (y - 0.5) ** 2 < notch * notch)
        return false;
    return true;
}
export const ACCENT = [0x4b, 0x53, 0xbc, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [255, 255, 255, 0];
/** 192x192 full-colour icon: a white ticket with a perforation on the accent colour. */
export function colorIcon() {
    const n = 192;
    return encodePng(n, n, (px, py) => {
        const x = (px + 0.5) / n;
        const y = (py + 0.5) / n;
        if (!inTicket(x, y))
            return ACCENT;
        // perforation: a dashed vertical line at 62% width
        if (Math.abs(x - 0.62) < 0.012 && Math.floor(y * 24) % 2 === 0)
            return ACCENT;
        // three text lines on the stub
        for (const ly of [0.42, 0.5, 0.58])
            if (Math.abs(y - ly) < 0.014 && x > 0.27 && x < (ly === 0.58 ? 0.45 : 0.53))
                return ACCENT;
        return WHITE;
    });
}
/** 32x32 outline icon: the ticket's outline in white on a transparent background. */
export function outlineIcon() {
    const n = 32;
    return encodePng(n, n, (px, py) => {
        const x = (px + 0.5) / n;
        const y = (py + 0.5) / n;
        const stroke = 2 / n;
        const edge = inTicket(x, y) && !inTicket(x, y, stroke);
        const perforation = Math.abs(x - 0.62) < 0.5 / n && inTicket(x, y, stroke) && py % 3 !== 2;
        return edge || perforation ? WHITE : CLEAR;
    });
}
/** Where the icons live: beside manifest.json. */
export const ICON_DIR = fileURLToPath(new URL('./', import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    writeFileSync(`${ICON_DIR}color.png`, colorIcon());
    writeFileSync(`${ICON_DIR}outline.png`, outlineIcon());
    console.log(`wrote ${ICON_DIR}color.png and ${ICON_DIR}outline.png`);
}
//# sourceMappingURL=icons.js.map