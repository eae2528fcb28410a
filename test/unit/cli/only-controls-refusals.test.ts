import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeCli, nothingCanStart } from './invoke-cli.js';
import type { NegativeControl } from '../../../harness/scenario/types.js';
import { control } from '../controls/control-fixtures.js';
import { validScenario } from '../scenario/scenario-fixture.js';

/**
 * `chaos run --only-controls` refuses, before anything starts, a scenario that leaves it nothing to run
 * or a control that makes an invalid scenario (exit 2), and still checks the platform (exit 3). Each case
 * runs the CLI's own `main` in-process against a dead Docker socket and a PATH without toxiproxy-server,
 * so a case wrongly accepted stops at the platform check and never deploys.
 */

let root: string;
let counter = 0;
const fresh = (prefix: string): string => join(root, `${prefix}-${(counter += 1)}`);

function scenarioFile(controls: readonly NegativeControl[] | undefined): string {
  const scenario = { ...validScenario(), ...(controls === undefined ? {} : { controls }) };
  const path = `${fresh('scenario')}.json`;
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

const invoke = (args: readonly string[]): Promise<{ code: number; output: string }> => invokeCli(args, nothingCanStart(root));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-only-controls-'));
  mkdirSync(join(root, 'empty-path'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const pinned = control({ name: 'pinned' });

/** `chaos run <scenario file> --platform local --out <out> <extra>`, the file written when the case runs. */
const run =
  (controls: readonly NegativeControl[] | undefined, ...extra: string[]) =>
  (out: string): string[] => ['run', scenarioFile(controls), '--platform', 'local', '--out', out, ...extra];

describe('chaos run --only-controls: refused before anything starts', () => {
  const cases = [
    {
      name: 'a scenario that declares no control',
      args: run(undefined, '--only-controls'),
      code: 2,
      message: /^INVALID_CONFIG: fixture declares no negative controls; add `controls` to the scenario \(docs\/scenarios\.md#negative-controls\) or drop --only-controls$/m,
    },
    { name: 'an empty list of controls, with --repeat 3', args: run([], '--only-controls', '--repeat', '3'), code: 2, message: /fixture declares no negative controls; add `controls`/ },
    {
      name: 'controls all on an architecture --arch leaves out',
      args: run([pinned], '--only-controls', '--arch', 'p2p'),
      code: 2,
      message: /INVALID_CONFIG: --arch leaves none of the negative controls of fixture to run: they run on dedicated; add dedicated to --arch, or drop --arch/,
    },
    {
      name: 'a control that makes an invalid scenario',
      args: run([control({ name: 'broken', set: { 'architectures.dedicated.topology.nope': 1 } })], '--only-controls'),
      code: 2,
      message: /INVALID_SCENARIO: negative control "broken" of fixture makes an invalid scenario on dedicated/,
    },
    {
      name: 'an unwritable --junit',
      args: (out: string) => run([pinned], '--only-controls', '--junit', root)(out),
      code: 2,
      message: /INVALID_CONFIG: --junit .* is a directory, not a file; pass a file path with --junit/,
    },
    // Valid input: it goes on to the platform check, which refuses (exit 3) before any control starts.
    { name: 'valid controls on a platform that cannot start', args: run([pinned], '--only-controls', '--repeat', '2'), code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH/ },
    { name: 'no control, without --only-controls, is no refusal', args: run(undefined, '--controls'), code: 3, message: /TOXIPROXY_UNAVAILABLE/ },
  ];

  it.each(cases)('$name', async ({ args, code, message }) => {
    const out = fresh('out');
    const result = await invoke(args(out));
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(root, 'run-registry'))).toBe(false);
  });
});
