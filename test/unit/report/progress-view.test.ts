import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressView, progressModeFor, type ProgressUpdate } from '../../../harness/report/progress-view.js';

function sink(isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY: boolean; columns: number; rows: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString('utf8'));
        callback();
      },
    }),
    { isTTY, columns: 120, rows: 40 },
  );
  return { stream, text: () => chunks.join('') };
}

const tick = (over: Partial<ProgressUpdate> = {}): ProgressUpdate => ({
  architecture: 'p2p',
  phase: 'timeline',
  elapsedMs: 12_300,
  scenarioHours: 2.5,
  online: 420,
  onlineFraction: 0.44,
  supernodesServing: 12,
  supernodesTotal: 40,
  ...over,
});

describe('progressModeFor', () => {
  it('is json with --json, tty on a terminal, plain otherwise', () => {
    expect(progressModeFor({ json: true, isTTY: true })).toBe('json');
    expect(progressModeFor({ json: false, isTTY: true })).toBe('tty');
    expect(progressModeFor({ json: false, isTTY: false })).toBe('plain');
  });
});

describe('createProgressView', () => {
  it('names the clients re-syncing their inbox, only while there are any', () => {
    const out = sink(false);
    const view = createProgressView({ mode: 'plain', stream: out.stream, plainIntervalMs: 0, now: () => 0 });
    view.update(tick({ resyncing: 0 }));
    view.update(tick({ phase: 'timeline', online: 30, onlineFraction: 0.1, resyncing: 270 }));
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/supernodes 12\/40$/);
    expect(lines[1]).toMatch(/online 30 \(10%\)\s+supernodes 12\/40\s+re-syncing 270$/);
  });

  it('plain: prints on phase changes and at most once per interval otherwise', () => {
    let now = 0;
    const out = sink(false);
    const view = createProgressView({ mode: 'plain', stream: out.stream, plainIntervalMs: 5_000, now: () => now });
    view.update(tick({ phase: 'steady-state', elapsedMs: 1_000, scenarioHours: -3 }));
    now = 1_000;
    view.update(tick({ phase: 'steady-state', elapsedMs: 2_000, online: 950 }));
    now = 2_000;
    view.update(tick({ phase: 'timeline', elapsedMs: 3_000 }));
    now = 4_000;
    view.update(tick({ elapsedMs: 5_000 }));
    now = 7_100;
    view.update(tick({ elapsedMs: 8_100, online: 300, onlineFraction: 0.31 }));
    view.event('inject latency "offline-latency" on clients->offline-messages-1');
    view.done();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[p2p\] steady-state\s+1\.0s T-3\.0h\s+online 420 \(44%\)\s+supernodes 12\/40$/);
    expect(lines[1]).toContain('[p2p] timeline');
    expect(lines[2]).toContain('online 300 (31%)');
    expect(lines[3]).toBe('· inject latency "offline-latency" on clients->offline-messages-1');
    // eslint-disable-next-line no-control-regex
    expect(out.text()).not.toMatch(/\u001b\[/);
  });

  it('plain: done() prints the last state if it was throttled away', () => {
    let now = 0;
    const out = sink(false);
    const view = createProgressView({ mode: 'plain', stream: out.stream, now: () => now });
    view.update(tick());
    now = 100;
    view.update(tick({ online: 10, architecture: 'p2p' }));
    view.done();
    view.update(tick({ online: 999 }));
    expect(out.text().trimEnd().split('\n')).toHaveLength(2);
    expect(out.text()).toContain('online 10');
    expect(out.text()).not.toContain('999');
  });

  it('tty: redraws one block with both architectures and recent events', () => {
    const out = sink(true);
    const view = createProgressView({ mode: 'tty', stream: out.stream, color: false });
    view.update(tick());
    view.update(tick({ architecture: 'dedicated', online: 900, onlineFraction: 0.95, supernodesServing: 8, supernodesTotal: 8 }));
    view.event('remedy "mega-supernodes wave 1": +4');
    view.update(tick({ online: 500, onlineFraction: 0.53 }));
    view.done();
    const text = out.text();
    // log-update erases the previous block (cursor up + erase line) before each redraw
    expect(text).toContain('\u001b[2K');
    const last = text.slice(text.lastIndexOf('\u001b[G') + 3);
    expect(last).toContain('p2p');
    expect(last).toContain('online 500 (53%)');
    expect(last).toContain('dedicated');
    expect(last).toContain('supernodes 8/8');
    expect(last).toContain('remedy "mega-supernodes wave 1": +4');
  });

  it('json: writes nothing', () => {
    const out = sink(false);
    const view = createProgressView({ mode: 'json', stream: out.stream });
    view.update(tick());
    view.event('anything');
    view.done();
    expect(out.text()).toBe('');
  });
});
