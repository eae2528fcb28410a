import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { validScenario } from '../scenario/scenario-fixture.js';

/** A test file's scratch directory for CLI refusals: a valid scenario file, an empty PATH directory, and fresh paths to hand out. */
export interface CliScratch {
  readonly root: string;
  /** A valid scenario as a JSON file. */
  readonly scenario: string;
  /** A path under the root no other call returned. */
  fresh(prefix: string): string;
}

/** Made before the file's tests and removed after them. */
export function useCliScratch(prefix: string): CliScratch {
  let root = '';
  let counter = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), `chaos-${prefix}-cli-`));
    mkdirSync(join(root, 'empty-path'));
    writeFileSync(join(root, 'scenario.json'), JSON.stringify(validScenario()));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    get root() {
      return root;
    },
    get scenario() {
      return join(root, 'scenario.json');
    },
    fresh: (name) => join(root, `${name}-${(counter += 1)}`),
  };
}
