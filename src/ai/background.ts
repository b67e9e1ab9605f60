/**
 * The AI features' background work: promises started after a ticket is created or a button is
 * clicked (AI triage, drafts, plans), tracked so `idle()` can wait for them, and a flag set when
 * the core closes so late results are dropped instead of written.
 */

export class BackgroundWork {
  /** Set when the core closes: work that finishes afterwards writes nothing. */
  closed = false;
  private readonly running = new Set<Promise<unknown>>();

  /** Track `p` until it settles; returns it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    p.then(
      () => this.running.delete(p),
      () => this.running.delete(p),
    );
    return p;
  }

  /** Resolves once all work started so far (and any it started) has settled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
