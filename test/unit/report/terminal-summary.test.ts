import { describe, expect, it } from 'vitest';
import { renderTerminalSummary, VERDICT_LINE_WIDTH } from '../../../harness/report/terminal-summary.js';
import { fixtureReport, unmeasuredP2pReport } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/;

describe('renderTerminalSummary', () => {
  const report = fixtureReport();

  it('says first, one line per architecture, what it was expected to do and what it got, then the table', () => {
    const lines = renderTerminalSummary(report, { color: false }).split('\n');
    const table = lines.findIndex((line) => line.startsWith('┌'));
    const verdicts = lines.slice(0, table).filter((line) => line.includes(' expected '));
    expect(verdicts).toEqual([
      'p2p        expected reproduces-outage  got ✔ PASS: outage reproduced (4 of 5 checks met, 1 not measured)',
      'dedicated  expected meets-targets      got ✘ FAIL: missed: messages lost 3 (wanted <= 0)',
    ]);
    expect(lines.filter((line) => line.startsWith('│')).some((line) => line.includes('expectation'))).toBe(false);
  });

  it('names what could not be judged, counts the rest, and keeps each verdict line within 120 columns', () => {
    const [p2p, dedicated] = report.runs;
    if (p2p === undefined || dedicated === undefined) throw new Error('fixture has two runs');
    const unknownTarget = (name: string) => ({ name, target: '>= 0.99', measured: null, outcome: 'unknown' as const, pass: false });
    const unknown = { ...dedicated, verdict: 'unknown' as const, targets: ['a', 'b', 'c'].map(unknownTarget) };
    const saturated = { ...p2p, verdict: 'unknown' as const, saturation: { saturated: true, reasons: ['fleet-1 lagged'], figures: {} } };
    const lines = renderTerminalSummary({ ...report, runs: [saturated, unknown] }, { color: false }).split('\n');
    expect(lines).toContain('p2p        expected reproduces-outage  got ? UNKNOWN: the harness was saturated, so the run says nothing (reasons below)');
    expect(lines).toContain('dedicated  expected meets-targets      got ? UNKNOWN: could not judge a — (wanted >= 0.99); b — (wanted >= 0.99); 1 more');

    const long = { ...unknown, targets: [1, 2].map((i) => unknownTarget(`a target with a rather long name, number ${i}`)) };
    const cut = renderTerminalSummary({ ...report, runs: [long] }, { color: false }).split('\n').find((l) => l.startsWith('dedicated  expected')) ?? '';
    expect(cut.startsWith('dedicated  expected meets-targets  got ? UNKNOWN: could not judge a target with a rather long name, number 1 — (wanted')).toBe(true);
    expect([...cut]).toHaveLength(VERDICT_LINE_WIDTH);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('shows both architectures, every target row and the summary figures', () => {
    const text = renderTerminalSummary(report, { color: false });
    expect(text).toContain('p2p');
    expect(text).toContain('dedicated');
    const targetRows = text.slice(text.indexOf('TARGETS')).split('\n');
    for (const run of report.runs) {
      for (const target of run.targets) {
        const row = targetRows.find((line) => line.includes(target.name));
        expect(row, target.name).toBeDefined();
        expect(row).toContain(target.target);
      }
    }
    for (const label of ['steady online clients', 'min online', 'supernodes lost direct / total', 'cascade amplification', 'recovery', 'messages lost', 'lookup success after recovery']) {
      expect(text).toContain(label);
    }
    expect(text).toContain('reproduces-outage');
    expect(text).toContain('meets-targets');
    expect(text).toContain('43.5 s (29.0 h)');
    expect(text).toContain('10 (25%) / 28 (61%) of 40 + 6 added');
    expect(text).toContain('2.8×');
  });

  it('shows each published figure, in words and in the scenario scale, beside the measured ones', () => {
    const lines = renderTerminalSummary(report, { color: false }).split('\n');
    const row = (label: string): string => lines.find((line) => line.includes(label)) ?? '';
    expect(lines.some((line) => line.includes('PUBLISHED FIGURES VS THIS RUN (informational)'))).toBe(true);
    expect(row('online users 20 h after T0')).toMatch(/31\.2%.*100%/);
    expect(row('online users 22 h after T0')).toMatch(/65\.5%.*99%/);
    expect(row('online users 27 h after T0')).toMatch(/90%.*100%/);
    expect(row('online users 30 h after T0')).toMatch(/—.*—/);
    expect(row('supernodes lost directly, share')).toMatch(/25%.*0%/);
    expect(row('published about 30% (30%)')).not.toBe('');
    expect(row('published 25-30% of supernodes (27.5%)')).not.toBe('');
  });

  it('shows no published figures for a scenario that states none', () => {
    const plain = { ...report, runs: report.runs.map((run) => ({ ...run, summary: { ...run.summary, fidelity: [] } })) };
    expect(renderTerminalSummary(plain, { color: false })).not.toContain('PUBLISHED FIGURES');
  });

  it('shows an unmeasured summary as — instead of 0, no or never', () => {
    const lines = renderTerminalSummary(unmeasuredP2pReport(), { color: false }).split('\n');
    const row = (label: string): string => lines.find((line) => line.startsWith('│') && line.includes(label)) ?? '';
    expect(row('steady online clients')).toMatch(/│ — +│ 960 /);
    expect(row('supernodes lost direct / total')).toMatch(/│ — \/ — of — +│ 0 \(0%\) \/ 1 \(13%\) of 8 /);
    expect(row('recovery')).toMatch(/│ — +│ 15\.0 s \(10\.0 h\)/);
    expect(row('messages lost')).toMatch(/│ — +│ 3 /);
    expect(row('cascade continued after heal')).toMatch(/│ — +│ no /);
    expect(row('online users 20 h after T0')).toMatch(/│ — +│ 100% /);
  });

  it('says never for a run that did not recover', () => {
    const base = fixtureReport();
    const [first, ...rest] = base.runs;
    if (first === undefined) throw new Error('fixture has no runs');
    const never = { ...base, runs: [{ ...first, summary: { ...first.summary, recovered: false, recoverySeconds: null, recoveryScenarioHours: null } }, ...rest] };
    const row = renderTerminalSummary(never, { color: false }).split('\n').find((line) => line.startsWith('│') && line.includes('recovery') && !line.includes('lookup')) ?? '';
    expect(row).toMatch(/│ never +│ 15\.0 s/);
  });

  it('shows a fractional steady-state mean to one decimal', () => {
    const base = fixtureReport();
    const [first, ...rest] = base.runs;
    if (first === undefined) throw new Error('fixture has no runs');
    const fractional = { ...base, runs: [{ ...first, summary: { ...first.summary, steadyOnlineClients: 799.1538461538462 } }, ...rest] };
    const text = renderTerminalSummary(fractional, { color: false });
    expect(text).toContain('799.2');
    expect(text).not.toContain('799.15');
  });

  it('puts measured values and marks in each architecture column of a shared target row', () => {
    const text = renderTerminalSummary(report, { color: false });
    const shared = text.split('\n').find((line) => line.includes('lookup success after recovery') && line.includes('>= 0.95'));
    expect(shared).toBeDefined();
    // p2p could not measure it, dedicated measured 0.999
    expect(shared).toMatch(/\? —.*✔ 0\.999/);
    const missed = text.slice(text.indexOf('TARGETS')).split('\n').find((line) => line.includes('messages lost') && line.includes('<= 0'));
    expect(missed).toContain('✘ 3');
  });

  it('states the overall verdict per architecture and across them', () => {
    const text = renderTerminalSummary(report, { color: false });
    const verdictRow = text.split('\n').find((line) => line.includes('verdict') && line.includes('PASS'));
    expect(verdictRow).toContain('✔ PASS');
    expect(verdictRow).toContain('✘ FAIL');
    expect(text).toContain('expectation not met: dedicated (fail)');
  });

  it('writes no escape codes without color and colors with it', () => {
    expect(renderTerminalSummary(report, { color: false })).not.toMatch(ansi);
    expect(renderTerminalSummary(report, { color: true })).toMatch(ansi);
  });

  it('says so when every expectation holds', () => {
    const passing = fixtureReport({ runs: [report.runs[0]!] });
    expect(renderTerminalSummary(passing, { color: false })).toContain('every expectation holds (1 architecture)');
  });

  it('counts the targets met when a meets-targets run passes', () => {
    const dedicated = report.runs[1]!;
    const met = { ...dedicated, verdict: 'pass' as const, targets: dedicated.targets.map((t) => ({ ...t, outcome: 'pass' as const, pass: true })) };
    const lines = renderTerminalSummary(fixtureReport({ runs: [met] }), { color: false }).split('\n');
    expect(lines).toContain('dedicated  expected meets-targets  got ✔ PASS: targets met (5 of 5)');
  });
});
