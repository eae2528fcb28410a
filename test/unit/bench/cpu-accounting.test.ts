import { describe, expect, it } from 'vitest';
import { CpuLedger, cpuWindow, groupOf, phaseWindows } from '../../bench/cpu-accounting.js';
import { descendantsOf, parseMachineTicks, parseProcessTicks } from '../../bench/proc-stat.js';

describe('/proc parsing', () => {
  it('reads the aggregate cpu line: every tick, and idle plus iowait as idle', () => {
    const stat = 'cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 50 2 25 400 10 0 1 1 0 0\nintr 1\n';
    expect(parseMachineTicks(stat)).toEqual({ total: 981, idle: 820 });
    expect(() => parseMachineTicks('intr 1\n')).toThrow(/no aggregate cpu line/);
  });

  it('reads pid, ppid, name and user+system ticks, even with spaces and parentheses in the name', () => {
    const line = '4242 (node (worker) x) S 4200 4242 4200 0 -1 4194304 100 0 0 0 731 169 0 0 20 0 11 0 5000 100000 2000';
    expect(parseProcessTicks(line)).toEqual({ pid: 4242, ppid: 4200, comm: 'node (worker) x', ticks: 900 });
  });

  it('finds every process below a root, grandchildren included', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid, comm: 'x', ticks: 0 });
    const found = descendantsOf(10, [p(1, 0), p(10, 1), p(11, 10), p(12, 10), p(13, 12), p(14, 1)]);
    expect(found.map((process) => process.pid).sort()).toEqual([11, 12, 13]);
  });
});

describe('CPU groups', () => {
  it('puts each node in its group by the name it was started with', () => {
    const node = (name: string) => ['/usr/local/bin/node', '/app/dist/services.cjs', '--chaos-run=r1', `--chaos-node=${name}`];
    expect(groupOf(node('fleet-2'))).toBe('fleets');
    expect(groupOf(node('sn-01'))).toBe('supernodes');
    expect(groupOf(node('peer-03'))).toBe('supernodes');
    expect(groupOf(node('mega-01'))).toBe('supernodes');
    expect(groupOf(node('login'))).toBe('login-and-offline');
    expect(groupOf(node('offline-1'))).toBe('login-and-offline');
    expect(groupOf(['/usr/local/bin/toxiproxy-server', '-host', '127.0.0.1'])).toBe('toxiproxy');
    expect(groupOf(['/work/node_modules/@esbuild/linux-x64/bin/esbuild', '--service=0.25.0'])).toBe('harness');
  });
});

describe('the CPU ledger', () => {
  const machine = (total: number, idle: number) => ({ total, idle });

  it('keeps what an exited process spent, and counts a reused pid as a new process', () => {
    const ledger = new CpuLedger();
    ledger.observe(0, machine(0, 0), [{ pid: 7, group: 'supernodes', ticks: 10 }]);
    ledger.observe(1_000, machine(200, 100), [{ pid: 7, group: 'supernodes', ticks: 40 }]);
    ledger.observe(2_000, machine(400, 200), []);
    const last = ledger.observe(3_000, machine(600, 300), [{ pid: 7, group: 'fleets', ticks: 5 }]);
    expect(last.groups.supernodes).toBe(40);
    expect(last.groups.fleets).toBe(5);
  });

  it('shares a window between the groups and the rest of the machine', () => {
    const ledger = new CpuLedger();
    const first = ledger.observe(0, machine(1_000, 500), [
      { pid: 1, group: 'harness', ticks: 10 },
      { pid: 2, group: 'fleets', ticks: 20 },
    ]);
    const last = ledger.observe(2_000, machine(1_400, 600), [
      { pid: 1, group: 'harness', ticks: 50 },
      { pid: 2, group: 'fleets', ticks: 120 },
      { pid: 3, group: 'toxiproxy', ticks: 30 },
    ]);
    const window = cpuWindow(first, last);
    expect(window).toMatchObject({ seconds: 2, machineTicks: 400, busyTicks: 300 });
    expect(window.groupTicks).toEqual({ harness: 40, fleets: 100, supernodes: 0, 'login-and-offline': 0, toxiproxy: 30 });
    expect(window.otherTicks).toBe(130);
  });

  it('cuts phases at the nearest snapshots and leaves out phases shorter than a sample', () => {
    const ledger = new CpuLedger();
    for (let i = 0; i <= 10; i += 1) ledger.observe(i * 1_000, machine(i * 200, i * 100), [{ pid: 1, group: 'harness', ticks: i * 10 }]);
    const windows = phaseWindows(ledger.snapshots(), [
      { phase: 'deploying', fromMs: 0, toMs: 3_900 },
      { phase: 'timeline', fromMs: 3_900, toMs: 10_000 },
      { phase: 'done', fromMs: 10_000, toMs: 10_000 },
    ]);
    expect(windows.map((w) => [w.phase, w.window.seconds, w.window.groupTicks.harness])).toEqual([
      ['deploying', 4, 40],
      ['timeline', 6, 60],
    ]);
  });
});
