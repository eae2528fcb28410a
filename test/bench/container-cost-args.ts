import { formatParamPath, parseParamPath } from '../../harness/sweep/sweep-param.js';
import type { Architecture } from '../../harness/scenario/types.js';

/**
 * The arguments of the container-cost bench: `chaos run` arguments it passes on, checked for what it
 * needs (one architecture on the Docker platform, one run of one scenario, and an --out directory to
 * read the history and report from afterwards), and its own options, taken out before they are
 * passed on: `--set PATH=VALUE` (repeatable) and `--append`.
 */

export class BenchArgumentError extends Error {}

export interface ChaosRunArguments {
  /** The `chaos run` arguments as given, without the `--` that separates them from the bench's own command, nor the bench's own options. */
  readonly args: readonly string[];
  readonly architecture: Architecture;
  readonly outDir: string;
  /** The scenario name or file given, undefined when none is (chaos run then runs its default). */
  readonly scenario: string | undefined;
  /** Where `scenario` is in `args`. */
  readonly scenarioIndex: number | undefined;
  /** `--set PATH=VALUE` in the order given: each path written as `chaos sweep --param` writes it, each value JSON when it parses as JSON, else text. */
  readonly set: Readonly<Record<string, unknown>>;
  /** `--append`: add the run to bench/container-costs.json rather than replace the file. */
  readonly append: boolean;
  /** The bench's arguments as given, without `--append` (which says where the run goes, not what ran). */
  readonly benchArgs: readonly string[];
}

const architectures: readonly string[] = ['p2p', 'dedicated'] satisfies readonly Architecture[];
/** Options that start more than one run, each of which the harness gives a run id and containers of its own. */
const severalRuns = ['--all', '--controls', '--only-controls', '--control'];
/** `chaos run` options that take a value (the variadic ones every value up to the next option); the others take none. */
const valueOptions = new Set(['--platform', '--registry', '--place', '--seed', '--out', '--junit', '--repeat']);
const variadicOptions = new Set(['--arch', '--control']);

export const USAGE =
  'usage: npm run bench:costs -- <scenario> --arch <p2p|dedicated> --platform docker --out <dir> [--set PATH=VALUE ...] [--append] [other chaos run options]';

/** The values of `--name value`, `--name=value`, or (variadic, as commander reads it) every value up to the next option. */
function optionValues(args: readonly string[], name: string, variadic = false): string[] | undefined {
  let found: string[] | undefined;
  args.forEach((arg, i) => {
    if (arg.startsWith(`${name}=`)) found = [...(found ?? []), arg.slice(name.length + 1)];
    if (arg !== name) return;
    const following = args.slice(i + 1);
    const end = following.findIndex((next) => next.startsWith('-'));
    const values = end === -1 ? following : following.slice(0, end);
    found = [...(found ?? []), ...(variadic ? values : values.slice(0, 1))];
  });
  return found;
}

/** Where the positional arguments (the scenarios) are, as commander reads `chaos run`'s options. */
export function positionalIndexes(args: readonly string[]): number[] {
  const positions: number[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') {
      for (let rest = i + 1; rest < args.length; rest += 1) positions.push(rest);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positions.push(i);
      continue;
    }
    if (arg.includes('=')) continue;
    if (valueOptions.has(arg)) i += 1;
    else if (variadicOptions.has(arg)) while (i + 1 < args.length && !args[i + 1]!.startsWith('-')) i += 1;
  }
  return positions;
}

/** `PATH=VALUE` of one --set: the path as chaos sweep --param writes it, and the value (JSON when it parses, else the text). */
export function parseSetValue(text: string | undefined): { readonly path: string; readonly value: unknown } {
  const example = 'e.g. --set architectures.p2p.topology.clientsPerFleet=1000';
  if (text === undefined || text.startsWith('--')) throw new BenchArgumentError(`--set needs PATH=VALUE after it, ${example}\n${USAGE}`);
  const equals = text.indexOf('=');
  if (equals === -1) throw new BenchArgumentError(`--set ${text} has no =VALUE: write the field path, =, then its value in one argument, ${example}\n${USAGE}`);
  const segments = parseParamPath(text.slice(0, equals));
  if (segments === undefined) {
    throw new BenchArgumentError(
      `--set ${text}: ${JSON.stringify(text.slice(0, equals))} is not a field path: write dot-separated names with [i] for list entries, as chaos sweep --param takes them, ${example}`,
    );
  }
  const raw = text.slice(equals + 1);
  if (raw === '') throw new BenchArgumentError(`--set ${text} gives no value: write the value after the =, ${example} (text as it is, numbers, true/false and objects as JSON)`);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text itself, e.g. a duration such as 2s.
  }
  return { path: formatParamPath(segments), value };
}

/** Takes the bench's own options (`--set`, `--append`) out of the arguments; what is left is passed on to `chaos run`. */
function ownOptions(args: readonly string[]): { readonly rest: string[]; readonly set: Record<string, unknown>; readonly append: boolean } {
  const rest: string[] = [];
  const set: Record<string, unknown> = {};
  let append = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--append') {
      append = true;
      continue;
    }
    if (arg.startsWith('--append=')) throw new BenchArgumentError(`--append takes no value: drop ${JSON.stringify(arg.slice('--append'.length))}\n${USAGE}`);
    if (arg !== '--set' && !arg.startsWith('--set=')) {
      rest.push(arg);
      continue;
    }
    const text = arg === '--set' ? args[(i += 1)] : arg.slice('--set='.length);
    const { path, value } = parseSetValue(text);
    if (Object.hasOwn(set, path)) throw new BenchArgumentError(`--set ${path} is given twice: keep the one value the run should have`);
    set[path] = value;
  }
  return { rest, set, append };
}

export function chaosRunArguments(argv: readonly string[]): ChaosRunArguments {
  const given = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { rest: args, set, append } = ownOptions(given);
  const platform = optionValues(args, '--platform');
  if (platform?.length !== 1 || platform[0] !== 'docker') throw new BenchArgumentError(`container costs are read from Docker containers: pass --platform docker\n${USAGE}`);
  const architecture = optionValues(args, '--arch', true);
  if (architecture?.length !== 1 || !architectures.includes(architecture[0]!)) {
    throw new BenchArgumentError(`pass one --arch (p2p or dedicated): the architectures of one scenario run side by side and their containers would be counted together\n${USAGE}`);
  }
  const arch = architecture[0] as Architecture;
  const out = optionValues(args, '--out');
  if (out?.length !== 1 || out[0] === '') throw new BenchArgumentError(`pass --out <dir>: the bench reads the run's history and report.json there\n${USAGE}`);
  const repeated = (optionValues(args, '--repeat') ?? []).some((value) => value !== '1');
  const several = [...(repeated ? ['--repeat'] : []), ...severalRuns.filter((option) => args.some((arg) => arg === option || arg.startsWith(`${option}=`)))];
  if (several.length > 0) throw new BenchArgumentError(`the bench measures one run: drop ${several.join(', ')}\n${USAGE}`);
  const positions = positionalIndexes(args);
  if (positions.length > 1) {
    const names = positions.map((index) => args[index]!).join(', ');
    throw new BenchArgumentError(`the bench measures one run of one scenario, but ${names} are ${positions.length} scenarios: name one (the others' containers would be counted in other directories)\n${USAGE}`);
  }
  const scenarioIndex = positions[0];
  if (Object.keys(set).length > 0 && scenarioIndex === undefined) {
    throw new BenchArgumentError(`--set varies a scenario: name the scenario it varies, e.g. npm run bench:costs -- skype-2010 --arch ${arch} ... --set PATH=VALUE\n${USAGE}`);
  }
  for (const path of Object.keys(set)) {
    const segments = parseParamPath(path)!;
    if (segments[0] === 'architectures' && segments[1] !== undefined && segments[1] !== arch) {
      throw new BenchArgumentError(`--set ${path} belongs to architecture ${String(segments[1])}, but the bench runs --arch ${arch}: set a field under architectures.${arch}, or run --arch ${String(segments[1])}`);
    }
  }
  return {
    args,
    architecture: arch,
    outDir: out[0]!,
    scenario: scenarioIndex === undefined ? undefined : args[scenarioIndex],
    scenarioIndex,
    set,
    append,
    benchArgs: given.filter((arg) => arg !== '--append'),
  };
}
