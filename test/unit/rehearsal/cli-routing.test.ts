import { describe, expect, it } from 'vitest';
import { routeThroughRun } from '../../../harness/cli.js';
import { parseDeadMan } from '../../../harness/commands/rehearse-command.js';

describe('npm run chaos -- rehearse|heal|record', () => {
  it('reaches the command behind the npm script\'s `run`', () => {
    expect(routeThroughRun(['run', 'rehearse', '--arch', 'p2p'])).toEqual(['rehearse', '--arch', 'p2p']);
    expect(routeThroughRun(['run', 'heal'])).toEqual(['heal']);
    expect(routeThroughRun(['run', 'record', 'h.jsonl', '--out', 'x.json'])).toEqual(['record', 'h.jsonl', '--out', 'x.json']);
    expect(routeThroughRun(['run', 'skype-2010'])).toEqual(['run', 'skype-2010']);
    expect(routeThroughRun(['rehearse'])).toEqual(['rehearse']);
  });

  it('reads the dead-man delay in seconds, 0 for off', () => {
    expect(parseDeadMan('60')).toBe(60);
    expect(parseDeadMan('0')).toBe(0);
    expect(parseDeadMan('2.5')).toBe(2.5);
    for (const bad of ['-1', 'soon', '1e9', '']) expect(() => parseDeadMan(bad)).toThrow(/not a dead-man delay/);
  });
});
