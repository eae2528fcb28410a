import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeCli, nothingCanStart } from './invoke-cli.js';

/**
 * `--one-at-a-time` and `--side-by-side` together are refused before anything starts (exit 2); either
 * alone is valid input and goes on to the platform check, which refuses on a machine where nothing can
 * start (exit 3). Each case runs the CLI's own `main` in-process, so a case wrongly accepted never deploys.
 */
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-ordering-'));
  mkdirSync(join(root, 'empty-path'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('chaos run: which networks run side by side', () => {
  const cases = [
    {
      name: 'both orders at once',
      extra: ['--one-at-a-time', '--side-by-side'],
      code: 2,
      message: /^INVALID_CONFIG: --one-at-a-time and --side-by-side ask for opposite things; keep one of them, or neither/m,
    },
    { name: 'both orders at once, with --all', extra: ['--all', '--side-by-side', '--one-at-a-time'], code: 2, message: /INVALID_CONFIG: --one-at-a-time and --side-by-side/ },
    { name: '--side-by-side for a scenario that says oneAtATime', extra: ['--side-by-side'], code: 3, message: /TOXIPROXY_UNAVAILABLE/ },
  ];

  it.each(cases)('$name', async ({ extra, code, message }) => {
    const out = join(root, `out-${code}-${extra.length}`);
    const names = extra.includes('--all') ? [] : ['cold-cache'];
    const result = await invokeCli(['run', ...names, '--platform', 'local', '--out', out, ...extra], nothingCanStart(root));
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(root, 'run-registry'))).toBe(false);
  });
});
