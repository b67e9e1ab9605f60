/**
 * The AI features' background work: promises started after a button is clicked (drafts, plans)
 * and the durable AI tasks the worker is running (AI triage and the first draft after a ticket
 * is created), tracked so `idle()` can wait for them, and a flag set when the core closes so late
 * results are dropped instead of written (an unfinished task is taken up again after its lease).
 */

export class BackgroundWork {
  /** Set when the core closes: work that finishes afterwards writes nothing. */
  closed = false;
  private readonly running = new Set<Promise<unknown>>();
  private readonly sources: (() => Promise<boolean>)[] = [];

  /** Track `p` until it settles; returns it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    p.then(
      () => this.running.delete(p),
      () => this.running.delete(p),
    );
    return p;
  }

  /**
   * Register a source of durable work (the AI task worker): `start()` starts (and tracks) what is
   * runnable now and says whether it started anything. `idle()` asks it until it starts nothing.
   */
  addSource(start: () => Promise<boolean>): void {
    this.sources.push(start);
  }

  /**
   * Resolves once nothing runnable now is still running: all work started so far (and any it
   * started) has settled and no source has a task due now. A task waiting out a retry backoff
   * (due later) does not count.
   */
  async idle(): Promise<void> {
    for (;;) {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      let started = false;
      for (const start of this.sources) if (await start()) started = true;
      if (!started && this.running.size === 0) return;
    }
  }
}
