import { describe, expect, it } from 'vitest';
import { chaosRunArguments, parseSetValue, positionalIndexes } from '../../bench/container-cost-args.js';

const base = ['skype-2010', '--arch', 'p2p', '--platform', 'docker', '--seed', '7', '--out', '/tmp/costs'];
const size = 'architectures.p2p.topology.clientsPerFleet';

describe('the chaos run arguments of the container-cost bench', () => {
  it('passes them on as given, without the separating --, and reads the architecture, --out and the scenario', () => {
    expect(chaosRunArguments(['--', ...base])).toEqual({ args: base, architecture: 'p2p', outDir: '/tmp/costs', scenario: 'skype-2010', scenarioIndex: 0, set: {}, append: false, benchArgs: base });
    expect(chaosRunArguments(['--arch=dedicated', '--platform=docker', '--out=reports/x', '--repeat', '1'])).toEqual({
      args: ['--arch=dedicated', '--platform=docker', '--out=reports/x', '--repeat', '1'],
      architecture: 'dedicated',
      outDir: 'reports/x',
      scenario: undefined,
      scenarioIndex: undefined,
      set: {},
      append: false,
      benchArgs: ['--arch=dedicated', '--platform=docker', '--out=reports/x', '--repeat', '1'],
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

  it('refuses what starts more than one run, and more than one scenario', () => {
    expect(() => chaosRunArguments([...base, '--repeat', '3'])).toThrow('the bench measures one run: drop --repeat');
    expect(() => chaosRunArguments([...base, '--controls'])).toThrow('drop --controls');
    expect(() => chaosRunArguments([...base, '--control=pinned', '--all'])).toThrow('drop --all, --control');
    expect(() => chaosRunArguments([...base, 'partition'])).toThrow('but skype-2010, partition are 2 scenarios: name one');
  });
});

describe('the scenario among chaos run arguments', () => {
  it('is what no option takes as its value', () => {
    expect(positionalIndexes(base)).toEqual([0]);
    expect(positionalIndexes(['--seed', '7', '--arch', 'p2p', '--platform', 'docker', 'skype-2010'])).toEqual([6]);
    // --arch takes every value up to the next option, as commander reads it.
    expect(positionalIndexes(['--seed', '7', '--platform', 'docker', '--arch', 'p2p', 'skype-2010'])).toEqual([]);
    expect(positionalIndexes(['--seed=7', '--json', 'skype-2010', '--out', 'x'])).toEqual([2]);
    expect(positionalIndexes(['--one-at-a-time', 'a.json', '--junit', 'j.xml', 'b'])).toEqual([1, 4]);
    expect(positionalIndexes(['--out', 'x', '--', 'skype-2010'])).toEqual([3]);
  });
});

describe('--set PATH=VALUE', () => {
  it('takes the path as chaos sweep --param writes it, and the value as JSON, else as text', () => {
    expect(parseSetValue(`${size}=1000`)).toEqual({ path: size, value: 1000 });
    expect(parseSetValue('timeline.3.action.count=4')).toEqual({ path: 'timeline[3].action.count', value: 4 });
    expect(parseSetValue('timeScale.oneHour=2s')).toEqual({ path: 'timeScale.oneHour', value: '2s' });
    expect(parseSetValue('load.reconnect={"policy":"fixed","delayMs":2000}')).toEqual({ path: 'load.reconnect', value: { policy: 'fixed', delayMs: 2000 } });
    expect(parseSetValue('a.b=x=y')).toEqual({ path: 'a.b', value: 'x=y' });
  });

  it('refuses what is not PATH=VALUE, naming the fix', () => {
    expect(() => parseSetValue(undefined)).toThrow('--set needs PATH=VALUE after it, e.g. --set architectures.p2p.topology.clientsPerFleet=1000');
    expect(() => parseSetValue('--arch')).toThrow('--set needs PATH=VALUE');
    expect(() => parseSetValue(size)).toThrow(`--set ${size} has no =VALUE: write the field path, =, then its value in one argument`);
    expect(() => parseSetValue('a..b=1')).toThrow('"a..b" is not a field path: write dot-separated names with [i] for list entries');
    expect(() => parseSetValue(`${size}=`)).toThrow('gives no value: write the value after the =');
  });

  it('is the bench\'s own: taken out of what chaos run gets, repeatable, with --append', () => {
    const parsed = chaosRunArguments([...base, '--set', `${size}=1000`, '--set=load.crashProbability=0.1', '--append']);
    expect(parsed.args).toEqual(base);
    expect(parsed.set).toEqual({ [size]: 1000, 'load.crashProbability': 0.1 });
    expect(parsed.append).toBe(true);
    expect(parsed.benchArgs).toEqual([...base, '--set', `${size}=1000`, '--set=load.crashProbability=0.1']);
    expect(chaosRunArguments(['--set', `${size}=1000`, ...base]).scenario).toBe('skype-2010');
  });

  it('refuses a path given twice, one of the other architecture, and --set without a scenario', () => {
    expect(() => chaosRunArguments([...base, '--set', `${size}=1000`, '--set', `${size}=2000`])).toThrow(`--set ${size} is given twice`);
    expect(() => chaosRunArguments([...base, '--set', 'timeline[3].at=1h', '--set', 'timeline.3.at=2h'])).toThrow('--set timeline[3].at is given twice');
    expect(() => chaosRunArguments([...base, '--set', 'architectures.dedicated.topology.fleets=2'])).toThrow(
      '--set architectures.dedicated.topology.fleets belongs to architecture dedicated, but the bench runs --arch p2p: set a field under architectures.p2p, or run --arch dedicated',
    );
    expect(() => chaosRunArguments([...base.slice(1), '--set', `${size}=1000`])).toThrow('--set varies a scenario: name the scenario it varies');
    expect(() => chaosRunArguments([...base, '--append=yes'])).toThrow('--append takes no value');
  });
});
