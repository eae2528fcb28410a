import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeCli } from '../cli/invoke-cli.js';

/**
 * `chaos sweep` refuses bad input with exit 2 before anything starts. Every case runs `main` in this
 * process with `--platform local`, a dead Docker socket and a PATH without toxiproxy-server, so a case
 * wrongly accepted stops at the platform check (exit 3) and starts nothing.
 */

const root = mkdtempSync(join(tmpdir(), 'sweep-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const invoke = (args: readonly string[]): Promise<{ code: number; output: string }> => invokeCli(args, { PATH: join(root, 'no-bin'), DOCKER_HOST: 'unix:///nonexistent.sock' });

const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const sweep = (...rest: string[]) => ['sweep', 'skype-2010', '--arch', 'dedicated', '--platform', 'local', ...rest];
const p2p = 'architectures.p2p.topology';
const grow = (to: string, ...scaleWith: string[]) => ['sweep', 'skype-2010', '--arch', 'p2p', '--platform', 'local', '--param', `${p2p}.supernodes`, '--from', '32', '--to', to, ...scaleWith.flatMap((path) => ['--scale-with', path])];

const cases: readonly { readonly name: string; readonly args: readonly string[]; readonly message: RegExp }[] = [
  { name: 'an unknown path', args: sweep('--param', 'architectures.dedicated.supernode.sessions', '--from', '1', '--to', '9'), message: /INVALID_CONFIG: --param .* has no field architectures\.dedicated\.supernode .*; give --param the path of a numeric field/ },
  { name: 'a field that is not a number', args: sweep('--param', 'load.restartDelay.mean', '--from', '1', '--to', '9'), message: /is the text "2h", not a number/ },
  { name: 'a range beyond the schema', args: sweep('--param', 'load.crashProbability', '--from', '0.1', '--to', '2'), message: /--to 2 makes load\.crashProbability outside .*\n {2}- load\.crashProbability: must be between 0 and 1/ },
  { name: 'a range beyond the machine', args: sweep('--param', 'architectures.dedicated.topology.fleets', '--from', '1', '--to', '400'), message: /more than this machine can hold/ },
  { name: 'from not below to', args: sweep('--param', capacity, '--from', '50', '--to', '10'), message: /--from 50 is not below --to 10; .*--from 10 --to 50/ },
  { name: 'a bad --repeat', args: sweep('--param', capacity, '--from', '10', '--to', '50', '--repeat', '0'), message: /--repeat 0 is not a run count; give --repeat an integer from 1 to 100/ },
  { name: 'a --repeat that is no number', args: sweep('--param', capacity, '--from', '10', '--to', '50', '--repeat', 'many'), message: /"many" is not a number: give a run count from 1 to 100/ },
  { name: 'a --from that is no number', args: sweep('--param', capacity, '--from', 'ten', '--to', '50'), message: /"ten" is not a number/ },
  { name: 'an unknown --holds-when', args: sweep('--param', capacity, '--from', '10', '--to', '50', '--holds-when', 'foo'), message: /INVALID_CONFIG: --holds-when foo is not a rule a point can hold by; give --holds-when expectation or delivered/ },
  { name: 'a --scale-with that names no field', args: grow('150', `${p2p}.clientsPerFleet`, `${p2p}.standbyPeer`), message: /INVALID_CONFIG: --scale-with architectures\.p2p\.topology\.standbyPeer: skype-2010 has no field .*; give --scale-with the path of a numeric field/ },
  { name: 'a --scale-with that is not a number', args: grow('150', 'load.restartDelay.max'), message: /--scale-with load\.restartDelay\.max is the text "12h", not a number, so it cannot be scaled/ },
  { name: 'a --scale-with that is --param', args: grow('150', `${p2p}.supernodes`), message: /--scale-with architectures\.p2p\.topology\.supernodes is the field --param sweeps/ },
  { name: 'a --scale-with given twice', args: grow('150', `${p2p}.standbyPeers`, `${p2p}.clientsPerFleet`, `${p2p}.standbyPeers`), message: /--scale-with architectures\.p2p\.topology\.standbyPeers is given twice/ },
  {
    name: 'a --scale-with that takes an end past the machine limits',
    args: grow('160', `${p2p}.clientsPerFleet`, `${p2p}.standbyPeers`),
    message: /--to 160 makes architectures\.p2p\.topology\.supernodes \(with architectures\.p2p\.topology\.clientsPerFleet 500, architectures\.p2p\.topology\.standbyPeers 40\) outside what skype-2010 may hold.*\n {2}- architectures\.p2p\.topology: needs 211 nodes .*more than this machine can hold \(at most 200\)/,
  },
  { name: 'no --param', args: sweep('--from', '10', '--to', '50'), message: /required option '--param <path>' not specified/ },
];

describe('chaos sweep: bad input exits 2 before anything starts', () => {
  it.each(cases)('$name', async ({ args }) => {
    const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const result = await invoke([...args, '--out', out]);
    const { message } = cases.find((c) => c.args === args)!;
    expect(result.output).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('takes --holds-when delivered as valid input: it goes on to the platform check (exit 3 here)', async () => {
    const result = await invoke([...sweep('--param', capacity, '--from', '10', '--to', '50', '--holds-when', 'delivered'), '--out', join(root, 'delivered')]);
    expect(result.output).not.toMatch(/--holds-when/);
    expect(result.output).toMatch(/toxiproxy-server is not on PATH/);
    expect(result.code).toBe(3);
  });

  it('takes --scale-with again and again as valid input: it goes on to the platform check (exit 3 here)', async () => {
    const result = await invoke([...grow('150', `${p2p}.clientsPerFleet`, `${p2p}.standbyPeers`), '--holds-when', 'delivered', '--repeat', '1', '--steps', '3', '--out', join(root, 'scaled')]);
    expect(result.output).not.toMatch(/--scale-with/);
    expect(result.output).toMatch(/toxiproxy-server is not on PATH/);
    expect(result.code).toBe(3);
  });
});
