import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../harness/cli.js';
import { scenarioJsonSchemaText } from '../../../harness/scenario/scenario-json-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'schema-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `chaos <args>` in this process, capturing stdout and stderr. */
async function invoke(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const written = { stdout: '', stderr: '' };
  const capture =
    (stream: keyof typeof written) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      written[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  const exitCode = process.exitCode;
  try {
    return { code: await main(args), ...written };
  } finally {
    process.exitCode = exitCode;
  }
}

describe('chaos schema', () => {
  it('prints the JSON Schema whole on stdout', async () => {
    const result = await invoke(['schema']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(scenarioJsonSchemaText());
  });

  it('writes it to the file of --out, and says where', async () => {
    const file = join(dir, 'scenario.schema.json');
    const result = await invoke(['schema', '--out', file]);
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(scenarioJsonSchemaText());
    expect(result.stdout).toBe(`scenario JSON Schema written to ${file}\n`);
  });

  it('exits 2 for --out a directory, or a file in a directory that does not exist, naming the fix', async () => {
    for (const out of [dir, join(dir, 'missing', 'scenario.schema.json')]) {
      const result = await invoke(['schema', '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`INVALID_CONFIG: cannot write the scenario JSON Schema to ${out}`);
      expect(result.stderr).toContain('pass --out the path of a file in an existing, writable directory');
    }
  });
});
