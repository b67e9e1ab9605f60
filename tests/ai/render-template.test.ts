/** Fallback template rendering and the semaphore used for the concurrency limit. */
import { describe, expect, it } from 'vitest';
import { bulletList, renderTemplate } from '../../src/ai/render-template.js';
import { Semaphore } from '../../src/ai/semaphore.js';

describe('renderTemplate', () => {
  it('fills placeholders', () => {
    expect(renderTemplate('Hi {{requester}}, {{ key }} is open.', { requester: 'Ana', key: 'T-1' })).toBe('Hi Ana, T-1 is open.');
  });

  it('drops lines with an empty placeholder and their lead-in line', () => {
    const tpl = 'Hi {{requester}}.\n\nSeen before:\n{{similar}}\n\nDue {{first_response_due}}.\nBye.';
    expect(renderTemplate(tpl, { requester: 'Ana' })).toBe('Hi Ana.\n\nBye.');
    expect(renderTemplate(tpl, { requester: 'Ana', similar: bulletList(['fix A']), first_response_due: '10:00' })).toBe(
      'Hi Ana.\n\nSeen before:\n- fix A\n\nDue 10:00.\nBye.',
    );
  });

  it('keeps a lead-in line when the next line is static text', () => {
    expect(renderTemplate('Steps:\n1. do it', {})).toBe('Steps:\n1. do it');
  });
});

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once and releases on failure', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let max = 0;
    const gates: (() => void)[] = [];
    const task = (fail: boolean) => () =>
      new Promise<string>((resolve, reject) => {
        running++;
        max = Math.max(max, running);
        gates.push(() => {
          running--;
          if (fail) reject(new Error('boom'));
          else resolve('ok');
        });
      });
    const settled = Promise.allSettled([sem.run(task(true)), sem.run(task(false)), sem.run(task(false)), sem.run(task(false))]);
    await Promise.resolve();
    expect(sem.running).toBe(2);
    expect(sem.queued).toBe(2);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(max).toBe(2);
    expect(sem.running).toBe(0);
  });

  it('rejects a bad limit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
