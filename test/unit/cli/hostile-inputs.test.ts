import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeCli } from './invoke-cli.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { readRunRecords } from '../../../harness/platform/run-registry.js';
import { validScenario } from '../scenario/scenario-fixture.js';
import { dedicatedHistory } from '../verdict/history-builder.js';

/**
 * Issue 10, item 3: hostile input, each refused before anything starts. Every case runs the CLI's own
 * `main` in-process (spawning tsx per case would take minutes) and checks the exit code (2: input,
 * 3: infrastructure), that the output names the problem and the fix, that no stack trace leaks, and,
 * for `run`, that nothing was started: no new child process, no run registry, no report directory.
 *
 * Every `run` case also sees a dead Docker socket, a PATH without toxiproxy-server and a throwaway run
 * registry, so a case the harness wrongly accepted stops at the platform check (exit 3), never deploys.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;

interface HostileCase {
  readonly name: string;
  /** The arguments; `out` is a report directory that does not exist, which a refused run must not create. */
  readonly args: (out: string) => string[];
  readonly code: 2 | 3;
  /** The problem and the fix, in the output (stdout and stderr together). */
  readonly message: RegExp;
  readonly env?: () => Record<string, string>;
}

let root: string;
const at = (name: string): string => join(root, name);
let counter = 0;
const fresh = (prefix: string): string => at(`${prefix}-${(counter += 1)}`);

/** The valid fixture scenario, broken one way, written as JSON. */
function scenarioFile(mutate: (s: Mutable) => void): string {
  const scenario = validScenario();
  mutate(scenario);
  const path = `${fresh('scenario')}.json`;
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

function rawFile(name: string, content: string | Buffer): string {
  const path = at(name);
  writeFileSync(path, content);
  return path;
}

const validFile = (): string => scenarioFile(() => undefined);

/** The fixture's timeline[1] is a latency toxic on every link into offline-messages. */
const withToxic =
  (attributes: Record<string, unknown>, fields: Record<string, unknown> = {}, type = 'latency') =>
  (s: Mutable): void => {
    s.timeline[1].action.toxic = { type, ...fields, attributes };
  };
const p2pTopology = (field: string, value: unknown) => (s: Mutable) => {
  s.architectures.p2p.topology[field] = value;
};

const TOXIC = 'timeline\\[1\\]\\.action\\.toxic';
const NODE_LIMIT = /architectures\.p2p\.topology: needs \d+ nodes .*more than this machine can hold \(at most 200\) \(shrink the topology to at most 200 nodes/;

/** A run on the local platform into a fresh report directory. */
const run = (scenario: () => string, ...extra: string[]) => (out: string) => ['run', scenario(), '--platform', 'local', '--out', out, ...extra];

const runCases: HostileCase[] = [
  // Files that are not scenarios at all.
  { name: 'malformed JSON', args: run(() => rawFile('malformed.json', '{"name": "x",')), code: 2, message: /INVALID_SCENARIO: cannot load scenario .*malformed\.json: .*JSON.*; fix the file so it parses/ },
  { name: 'truncated JSON (half a valid scenario)', args: run(() => rawFile('truncated.json', JSON.stringify(validScenario()).slice(0, 700))), code: 2, message: /cannot load scenario .*truncated\.json: .*JSON.*; fix the file so it parses/ },
  { name: 'an empty file', args: run(() => rawFile('empty.json', '')), code: 2, message: /cannot load scenario .*empty\.json: Unexpected end of JSON input; fix the file/ },
  { name: 'binary garbage', args: run(() => rawFile('garbage.json', Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x42, 0x0a]))), code: 2, message: /cannot load scenario .*garbage\.json: .*; fix the file so it parses/ },
  { name: 'JSON null', args: run(() => rawFile('null.json', 'null')), code: 2, message: /scenario \(unnamed\) has 1 problem.*\n.*\(scenario\): expected object, got null \(write an object here\)/ },
  { name: 'a JSON array', args: run(() => rawFile('array.json', '[1, 2]')), code: 2, message: /\(scenario\): expected object, got an array \(write an object here\)/ },
  { name: 'a TypeScript scenario that throws when imported', args: run(() => rawFile('throws.ts', "throw new Error('boom at import');\n")), code: 2, message: /cannot load scenario .*throws\.ts: boom at import; fix the file so it parses \(JSON\) or imports \(TypeScript\)/ },
  // Wrong types.
  { name: 'a seed given as a string', args: run(() => scenarioFile((s) => (s.seed = '7'))), code: 2, message: /seed: expected number, got "7" \(write a number here\)/ },
  { name: 'fleets given as a string', args: run(() => scenarioFile(p2pTopology('fleets', '3'))), code: 2, message: /architectures\.p2p\.topology\.fleets: expected number, got "3" \(write a number here\)/ },
  { name: 'a NaN-ish string for clientsPerFleet', args: run(() => scenarioFile(p2pTopology('clientsPerFleet', 'NaN'))), code: 2, message: /clientsPerFleet: expected number, got "NaN" \(write a number here\)/ },
  { name: 'an infinite clientsPerFleet (1e400)', args: run(() => rawFile('infinite.json', JSON.stringify(validScenario()).replace('"clientsPerFleet":100', '"clientsPerFleet":1e400'))), code: 2, message: /clientsPerFleet: expected a finite number, got Infinity \(write a finite number here\)/ },
  { name: 'a negative clientsPerFleet', args: run(() => scenarioFile(p2pTopology('clientsPerFleet', -5))), code: 2, message: /architectures\.p2p\.topology\.clientsPerFleet: must be at least 1/ },
  { name: 'an unknown top-level field (__proto__)', args: run(() => rawFile('proto.json', JSON.stringify(validScenario()).replace(/^\{/, '{"__proto__":{"polluted":true},'))), code: 2, message: /__proto__: is not a known field \(remove it or check its spelling\)/ },
  { name: 'an unknown action kind', args: run(() => scenarioFile((s) => (s.timeline[0].action = { do: 'explode', label: 'x' }))), code: 2, message: /timeline\[0\]\.action\.do: names no known variant \(use one of "mark", "inject"/ },
  { name: 'an unknown node group', args: run(() => scenarioFile((s) => (s.timeline[3].action.target.nodes.group = 'routers'))), code: 2, message: /timeline\[3\]\.action\.target\.nodes\.group: "routers" is not allowed \(use one of "login", "offline-messages", "supernodes", "fleets"\)/ },
  { name: 'an unknown link group', args: run(() => scenarioFile((s) => (s.timeline[1].action.target.links.from = 'aliens'))), code: 2, message: /timeline\[1\]\.action\.target\.links\.from: .*"aliens".*\(use one of "clients", "supernodes", "harness"/ },
  // Absurd magnitudes.
  { name: 'clientsPerFleet 10^7', args: run(() => scenarioFile(p2pTopology('clientsPerFleet', 1e7))), code: 2, message: /clientsPerFleet: 10000000 clients in one fleet process, .*\(at most 10000\) \(use more fleets[^\n]*\n[^\n]*topology: needs 20000000 clients .*\(at most 50000, four sockets each\)/ },
  { name: 'fleets 10^4', args: run(() => scenarioFile(p2pTopology('fleets', 1e4))), code: 2, message: NODE_LIMIT },
  { name: 'supernodes 10^5', args: run(() => scenarioFile(p2pTopology('supernodes', 1e5))), code: 2, message: NODE_LIMIT },
  { name: 'standby peers 10^5', args: run(() => scenarioFile(p2pTopology('standbyPeers', 1e5))), code: 2, message: NODE_LIMIT },
  { name: 'a remedy adding 10^6 supernodes', args: run(() => scenarioFile((s) => (s.timeline[4].action.count = 1e6))), code: 2, message: /needs 1000016 nodes .*1000000 added by the timeline\), more than this machine can hold \(at most 200\)/ },
  { name: 'a toxic latency of 10^12 ms', args: run(() => scenarioFile(withToxic({ latency: 1e12 }))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.latency: 1000000000000 is out of range \\(use an integer from 0 to 3600000 \\(milliseconds\\)\\)`) },
  { name: 'a negative toxic latency', args: run(() => scenarioFile(withToxic({ latency: -1 }))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.latency: -1 is out of range \\(use an integer from 0 to 3600000`) },
  { name: 'a fractional toxic latency (2.5, issue 8)', args: run(() => scenarioFile(withToxic({ latency: 2.5 }))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.latency: 2\\.5 is not an integer \\(use an integer from 0 to 3600000`) },
  { name: 'a NaN-ish string toxic latency', args: run(() => scenarioFile(withToxic({ latency: 'NaN' }))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.latency: "NaN" is not a number \\(use an integer from 0 to 3600000`) },
  { name: 'a zero bandwidth rate', args: run(() => scenarioFile(withToxic({ rate: 0 }, {}, 'bandwidth'))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.rate: 0 is out of range \\(use an integer from 1 to 10000000 \\(KB/s\\)\\)`) },
  { name: 'a slicer size_variation equal to average_size', args: run(() => scenarioFile(withToxic({ average_size: 64, size_variation: 64 }, {}, 'slicer'))), code: 2, message: new RegExp(`${TOXIC}\\.attributes\\.size_variation: 64 is out of range \\(use an integer from 0 to 63, below average_size \\(64\\)\\)`) },
  { name: 'a toxicity of 1.5', args: run(() => scenarioFile(withToxic({ latency: 100 }, { toxicity: 1.5 }))), code: 2, message: new RegExp(`${TOXIC}\\.toxicity: 1\\.5 is out of range \\(use a number from 0 to 1`) },
  { name: 'a toxic of type down', args: run(() => scenarioFile(withToxic({}, {}, 'down'))), code: 2, message: new RegExp(`${TOXIC}\\.type: "down" is not a Toxiproxy toxic \\(use one of latency, .*cut`) },
  { name: 'a seed of 10^20', args: run(() => scenarioFile((s) => (s.seed = 1e20))), code: 2, message: /seed: must be an integer from 0 to 2147483647/ },
  { name: 'a heartbeat interval of 10^12 ms', args: run(() => scenarioFile((s) => (s.load.heartbeatIntervalMs = 1e12))), code: 2, message: /load\.heartbeatIntervalMs: must be at most 3600000 ms \(one hour; shorten it\)/ },
  { name: 'a sampler tick of 10^12 ms', args: run(() => scenarioFile((s) => (s.sampleEveryMs = 1e12))), code: 2, message: /sampleEveryMs: must be at most 3600000 ms/ },
  { name: 'a run lasting 100000 scenario days', args: run(() => scenarioFile((s) => (s.duration = '100000d'))), code: 2, message: /duration: the run would last [\dhm]+ of real time .*more than 24h \(shorten duration or timeScale\.oneHour/ },
  { name: 'a restart delay of 10^6 hours', args: run(() => scenarioFile((s) => (s.load.restartDelay = { kind: 'fixed', value: '1000000h' }))), code: 2, message: /load\.restartDelay\.value: "1000000h" lasts 277h4\dm of real time .*more than 24h \(use a delay of at most 24h/ },
  // Durations out of order.
  { name: 'a timeline step after the duration', args: run(() => scenarioFile((s) => (s.timeline[4].at = '21h'))), code: 2, message: /timeline\[4\]\.at: "21h" is after the end of the run \(duration "20h"\) \(move the step earlier or lengthen duration\)/ },
  { name: 'a heal before its inject', args: run(() => scenarioFile((s) => ((s.timeline[2].at = '0s'), (s.timeline[1].at = '1h')))), code: 2, message: /timeline\[2\]\.action\.id: heal of "trigger" comes before timeline\[1\] creates it \(move the heal after the fault\)/ },
  { name: 'a heal of an id never injected', args: run(() => scenarioFile((s) => s.timeline.push({ at: '4h', action: { do: 'heal', id: 'never-injected' } }))), code: 2, message: /heal of unknown fault "never-injected" \(inject or cut it in an earlier step\)/ },
  { name: 'a steady-state hold longer than its window', args: run(() => scenarioFile((s) => (s.steadyState.hold = '30h'))), code: 2, message: /steadyState\.hold: "30h" is longer than within .*\(shorten hold or lengthen within\)/ },
  // Names with path or shell characters.
  { name: 'a scenario name with path characters', args: run(() => scenarioFile((s) => (s.name = '../x'))), code: 2, message: /name: must be lower-case letters, digits and dashes \(it names report folders\)/ },
  { name: 'a fault id with shell characters', args: run(() => scenarioFile((s) => ((s.timeline[1].action.id = 'a;rm -rf /'), (s.timeline[2].action.id = 'a;rm -rf /')))), code: 2, message: /timeline\[1\]\.action\.id: must be a non-empty name of letters, digits/ },
  {
    name: 'a scenario argument reaching outside scenarios/ (../<missing>)',
    args: (out) => ['run', '../no-such-scenario-7f3a', '--platform', 'local', '--out', out],
    code: 2,
    message: /UNKNOWN_SCENARIO: no scenario file at "\/.*\/no-such-scenario-7f3a"; check the path, or give a scenario name from `chaos list`/,
  },
  { name: 'a scenario argument with shell characters', args: (out) => ['run', 'a;rm -rf /', '--platform', 'local', '--out', out], code: 2, message: /UNKNOWN_SCENARIO: no scenario file at ".*\/a;rm -rf "; check the path/ },
  { name: 'a scenario name with shell characters', args: (out) => ['run', 'a;rm', '--platform', 'local', '--out', out], code: 2, message: /UNKNOWN_SCENARIO: "a;rm" is not a scenario name; scenario names are lower-case letters, digits and dashes/ },
  { name: 'a scenario name with a space', args: (out) => ['run', 'skype 2010', '--platform', 'local', '--out', out], code: 2, message: /"skype 2010" is not a scenario name; scenario names are lower-case letters/ },
  { name: 'an unknown scenario name', args: (out) => ['run', 'no-such-scenario', '--platform', 'local', '--out', out], code: 2, message: /no scenario named "no-such-scenario"; run `chaos list`/ },
  { name: 'a directory given as the scenario file', args: run(() => { const dir = `${fresh('dir')}.json`; mkdirSync(dir); return dir; }), code: 2, message: /UNKNOWN_SCENARIO: ".*\.json" is not a scenario file; give a \.ts module exporting one scenario or a \.json scenario document/ },
  // Bad options.
  { name: '--seed abc', args: run(validFile, '--seed', 'abc'), code: 2, message: /option '--seed <n>' argument 'abc' is invalid\. "abc" is not a seed: give an integer from 0 to 2147483647/ },
  { name: '--seed -1', args: run(validFile, '--seed', '-1'), code: 2, message: /"-1" is not a seed: give an integer from 0 to 2147483647/ },
  { name: '--seed 1.5', args: run(validFile, '--seed', '1.5'), code: 2, message: /"1\.5" is not a seed: give an integer/ },
  { name: '--seed 2^32+1', args: run(validFile, '--seed', '4294967297'), code: 2, message: /"4294967297" is not a seed: give an integer from 0 to 2147483647/ },
  { name: '--arch nope', args: run(validFile, '--arch', 'nope'), code: 2, message: /argument 'nope' is invalid\. Allowed choices are p2p, dedicated/ },
  { name: '--arch p2p on a scenario without p2p', args: run(() => scenarioFile((s) => { delete s.architectures.p2p; s.timeline.pop(); }), '--arch', 'p2p'), code: 2, message: /INVALID_SCENARIO: scenario fixture does not define p2p; use --arch with dedicated/ },
  { name: '--platform nope', args: (out) => ['run', validFile(), '--platform', 'nope', '--out', out], code: 2, message: /argument 'nope' is invalid\. Allowed choices are auto, docker, local/ },
  { name: '--repeat 0', args: run(validFile, '--repeat', '0'), code: 2, message: /"0" is not a repeat count \(an integer from 1 to 100\)/ },
  { name: '--repeat 1000', args: run(validFile, '--repeat', '1000'), code: 2, message: /"1000" is not a repeat count \(an integer from 1 to 100\)/ },
  { name: 'an unknown option (--sed)', args: run(validFile, '--sed', '7'), code: 2, message: /unknown option '--sed'[\s\S]*Did you mean --seed\?/ },
  { name: 'an unwritable --out', args: () => ['run', validFile(), '--platform', 'local', '--out', '/proc/chaos-reports'], code: 2, message: /INVALID_CONFIG: cannot write reports to \/proc\/chaos-reports \(.*\); pass a writable directory with --out/ },
  { name: '--out naming an existing file', args: () => ['run', validFile(), '--platform', 'local', '--out', rawFile('existing-file', 'x')], code: 2, message: /INVALID_CONFIG: --out .*existing-file is an existing file, not a directory; pass a directory with --out/ },
  { name: '--out below an existing file', args: () => ['run', validFile(), '--platform', 'local', '--out', join(rawFile('a-file', 'x'), 'reports')], code: 2, message: /cannot write reports to .*a-file\/reports \(ENOTDIR.*\); pass a writable directory with --out/ },
  { name: '--junit naming an existing directory', args: (out) => run(validFile, '--junit', root)(out), code: 2, message: /INVALID_CONFIG: --junit .* is a directory, not a file; pass a file path with --junit/ },
  // The platform cannot start (valid input): exit 3, before anything is deployed.
  { name: 'a dead Docker socket', args: (out) => ['run', validFile(), '--platform', 'docker', '--out', out], code: 3, message: /DOCKER_UNAVAILABLE: no Docker engine answers \(unix:\/\/\/nonexistent\.sock\); start dockerd \(npm run setup\) or use --platform local/ },
  { name: 'no toxiproxy-server on PATH', args: run(validFile), code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH; run `npm run setup`/ },
  { name: 'no platform at all (auto)', args: (out) => ['run', validFile(), '--out', out], code: 3, message: /NO_PLATFORM: no Docker engine answers and toxiproxy-server is not on PATH; run `npm run setup`/ },
];

/** A history file's lines, the last one torn when asked. */
function historyDir(events: readonly HistoryEvent[] | string, options: { torn?: boolean; name?: string } = {}): string {
  const dir = fresh('report');
  mkdirSync(dir);
  const text = typeof events === 'string' ? events : events.map((event) => `${JSON.stringify(event)}\n`).join('');
  writeFileSync(join(dir, options.name ?? 'history-dedicated.jsonl'), options.torn === true ? `${text}{"t":20500,"type":"sam` : text);
  return dir;
}

const complete = (): HistoryEvent[] => dedicatedHistory();
const withoutEnd = (): HistoryEvent[] => complete().filter((event) => event.type !== 'run-end');

const reportCases: HostileCase[] = [
  { name: 'a missing directory', args: () => ['report', at('no-such-dir')], code: 2, message: /INVALID_CONFIG: report directory .*no-such-dir does not exist; check the path; give the directory a `chaos run` wrote/ },
  { name: 'an empty directory', args: () => { const dir = fresh('empty'); mkdirSync(dir); return ['report', dir]; }, code: 2, message: /INVALID_CONFIG: .*empty-\d+ is empty: it holds no history-<architecture>\.jsonl; give the directory a `chaos run` wrote/ },
  { name: 'a foreign directory', args: () => { const dir = fresh('foreign'); mkdirSync(dir); writeFileSync(join(dir, 'README.md'), '# notes'); writeFileSync(join(dir, 'data.csv'), 'a,b'); return ['report', dir]; }, code: 2, message: /is not a report directory: it holds no history-p2p\.jsonl or history-dedicated\.jsonl \(found README\.md, data\.csv\); give the directory a `chaos run` wrote/ },
  { name: 'a file instead of a directory', args: () => ['report', rawFile('not-a-dir.txt', 'x')], code: 2, message: /not-a-dir\.txt is a file, not a report directory; give the directory a `chaos run` wrote/ },
  { name: 'a history file instead of its directory', args: () => ['report', join(historyDir(complete()), 'history-dedicated.jsonl')], code: 2, message: /history-dedicated\.jsonl is a history file, not a report directory; give the directory that holds it: chaos report / },
  { name: 'a history of garbage', args: () => ['report', historyDir('garbage\nmore garbage\n')], code: 2, message: /history .*history-dedicated\.jsonl line 1 is not a history event \(not JSON\); the file was edited or corrupted, or is not a history `chaos run` wrote/ },
  { name: 'a history of JSON lines of another shape', args: () => ['report', historyDir('{"name":"x","value":1}\n{"name":"y","value":2}\n')], code: 2, message: /line 1 is not a history event \(JSON of another shape\); .*re-run the scenario/ },
  { name: 'a history holding only a torn line', args: () => ['report', historyDir('{"t":0,"type":"run-st')], code: 2, message: /history-dedicated\.jsonl is not a history: it holds no complete event \(only a torn line\); the run was cut off before it recorded its start/ },
  { name: 'a history without its run-start', args: () => ['report', historyDir(complete().slice(1))], code: 2, message: /does not begin with a run-start event \(its first event is "phase"\); the history was edited/ },
  { name: 'a run-start without a scenario', args: () => ['report', historyDir(complete().map((event) => (event.type === 'run-start' ? { ...event, definition: 'nope' as never } : event)))], code: 2, message: /has a run-start without the scenario it ran \(definition, time scale\); the history was edited/ },
  { name: 'a history filed under the wrong architecture', args: () => ['report', historyDir(complete(), { name: 'history-p2p.jsonl' })], code: 2, message: /history-p2p\.jsonl holds the run-start of "dedicated", not of p2p; rename the file after its architecture/ },
  { name: 'an unwritable --out', args: () => ['report', historyDir(complete()), '--out', '/proc/chaos-reports'], code: 2, message: /INVALID_CONFIG: cannot write reports to \/proc\/chaos-reports \(.*\); pass a writable directory with --out/ },
  { name: 'a killed run: no run-end', args: () => ['report', historyDir(withoutEnd())], code: 3, message: /history-dedicated\.jsonl: no run-end \(the run was killed before it finished\); judged as incomplete; re-run the scenario for a verdict/ },
  { name: 'a killed run: the last line torn', args: () => ['report', historyDir(withoutEnd(), { torn: true })], code: 3, message: /the last line is torn \(the run was killed while writing it\); judged from the \d+ complete events before it, as incomplete; re-run the scenario for a verdict/ },
  { name: 'a torn line after run-end', args: () => ['report', historyDir(complete(), { torn: true })], code: 3, message: /the last line is torn .*re-run the scenario for a verdict[\s\S]*history complete/ },
];

let registry: string;
let emptyPath: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-hostile-'));
  registry = at('run-registry');
  emptyPath = at('empty-path');
  mkdirSync(emptyPath);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Pids whose parent is this process (the CLI runs in it). */
function childPids(): Set<number> {
  const children = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.add(Number(entry));
    } catch {
      // the process is gone
    }
  }
  return children;
}

const invoke = invokeCli;

function expectRefused(result: { code: number; output: string }, hostile: HostileCase): void {
  expect(result.output).toMatch(hostile.message);
  expect(result.code).toBe(hostile.code);
  expect(result.output).not.toMatch(/^\s+at /m);
}

describe('hostile input to chaos run: refused before anything starts', () => {
  it('has a case for every kind of hostile input the issue lists', () => {
    expect(runCases.length + reportCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(runCases)('$name', async (hostile) => {
    const out = fresh('out');
    const before = childPids();
    const result = await invoke(hostile.args(out), {
      DOCKER_HOST: 'unix:///nonexistent.sock',
      PATH: emptyPath,
      CHAOS_RUN_REGISTRY: registry,
      ...hostile.env?.(),
    });
    expectRefused(result, hostile);
    expect([...childPids()].filter((pid) => !before.has(pid))).toEqual([]);
    expect(existsSync(registry)).toBe(false);
    expect(await readRunRecords(registry)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('hostile input to chaos report', () => {
  it.each(reportCases)('$name', async (hostile) => {
    expectRefused(await invoke(hostile.args(''), { CHAOS_RUN_REGISTRY: registry }), hostile);
  });
});
