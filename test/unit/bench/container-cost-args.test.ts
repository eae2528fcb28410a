import { describe, expect, it } from 'vitest';
import { chaosRunArguments } from '../../bench/container-cost-args.js';

const base = ['skype-2010', '--arch', 'p2p', '--platform', 'docker', '--seed', '7', '--out', '/tmp/costs'];

describe('the chaos run arguments of the container-cost bench', () => {
  it('passes them on as given, without the separating --, and reads the architecture and --out', () => {
    expect(chaosRunArguments(['--', ...base])).toEqual({ args: base, architecture: 'p2p', outDir: '/tmp/costs' });
    expect(chaosRunArguments(['skype-2010', '--arch=dedicated', '--platform=docker', '--out=reports/x', '--repeat', '1'])).toEqual({
      args: ['skype-2010', '--arch=dedicated', '--platform=docker', '--out=reports/x', '--repeat', '1'],
      architecture: 'dedicated',
      outDir: 'reports/x',
    });
  });

  it('refuses any platform but docker', () => {
    expect(() => chaosRunArguments(['skype-2010', '--arch', 'p2p', '--out', 'x'])).toThrow('pass --platform docker');
    expect(() => chaosRunArguments(['skype-2010', '--arch', 'p2p', '--platform', 'local', '--out', 'x'])).toThrow('pass --platform docker');
  });

  it('refuses no architecture, or two side by side', () => {
    expect(() => chaosRunArguments(['skype-2010', '--platform', 'docker', '--out', 'x'])).toThrow('pass one --arch');
    expect(() => chaosRunArguments(['--arch', 'p2p', 'dedicated', '--platform', 'docker', '--out', 'x'])).toThrow('pass one --arch');
    expect(() => chaosRunArguments(['--arch', 'both', '--platform', 'docker', '--out', 'x'])).toThrow('pass one --arch');
  });

  it('needs --out, where it reads the history and the report', () => {
    expect(() => chaosRunArguments(['skype-2010', '--arch', 'p2p', '--platform', 'docker'])).toThrow('pass --out <dir>');
  });

  it('refuses what starts more than one run', () => {
    expect(() => chaosRunArguments([...base, '--repeat', '3'])).toThrow('the bench measures one run: drop --repeat');
    expect(() => chaosRunArguments([...base, '--controls'])).toThrow('drop --controls');
    expect(() => chaosRunArguments([...base, '--control=pinned', '--all'])).toThrow('drop --all, --control');
  });
});
