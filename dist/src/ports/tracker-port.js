/** Error from a tracker call, with what to fix (bad token, unknown project, rate limited). */
export class TrackerError extends Error {
    tracker;
    code;
    constructor(tracker, code, message) {
        super(message);
        this.tracker = tracker;
        this.code = code;
        this.name = 'TrackerError';
    }
}
//# sourceMappingURL=tracker-port.js.map