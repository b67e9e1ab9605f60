/**
 * Durations in config are short strings: "30m", "4h", "3d", "1h30m", "45s".
 * @example parseDuration('1h30m') // 5_400_000
 */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?[smhdw])+$/;
export function parseDuration(input) {
    const s = input.trim().toLowerCase();
    if (!DURATION_RE.test(s))
        return null;
    let total = 0;
    for (const m of s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g))
        total += Number(m[1]) * UNIT_MS[m[2]];
    return total > 0 ? Math.round(total) : null;
}
/** Human form of a duration for cards: "3h 12m", "2d 4h", "45s". */
export function formatDuration(ms) {
    const neg = ms < 0;
    let rest = Math.abs(Math.round(ms / 1000));
    const d = Math.floor(rest / 86_400);
    rest -= d * 86_400;
    const h = Math.floor(rest / 3_600);
    rest -= h * 3_600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    const parts = [];
    if (d)
        parts.push(`${d}d`);
    if (h)
        parts.push(`${h}h`);
    if (m && !d)
        parts.push(`${m}m`);
    if (!d && !h && (s || !m))
        parts.push(`${s}s`);
    return (neg ? '-' : '') + parts.join(' ');
}
//# sourceMappingURL=duration.js.map