import type { Architecture } from '../../harness/scenario/types.js';

/**
 * The `chaos run` arguments the container-cost bench passes on, checked for what it needs: one
 * architecture on the Docker platform, one run, and an --out directory to read the history and
 * report from afterwards.
 */

export class BenchArgumentError extends Error {}

export interface ChaosRunArguments {
  /** As given, without the `--` that separates them from the bench's own command. */
  readonly args: readonly string[];
  readonly architecture: Architecture;
  readonly outDir: string;
}

const architectures: readonly string[] = ['p2p', 'dedicated'] satisfies readonly Architecture[];
/** Options that start more than one run, each of which the harness gives a run id and containers of its own. */
const severalRuns = ['--all', '--controls', '--only-controls', '--control'];

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

export function chaosRunArguments(argv: readonly string[]): ChaosRunArguments {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const usage = 'usage: npm run bench:costs -- <scenario> --arch <p2p|dedicated> --platform docker --out <dir> [other chaos run options]';
  const platform = optionValues(args, '--platform');
  if (platform?.length !== 1 || platform[0] !== 'docker') throw new BenchArgumentError(`container costs are read from Docker containers: pass --platform docker\n${usage}`);
  const architecture = optionValues(args, '--arch', true);
  if (architecture?.length !== 1 || !architectures.includes(architecture[0]!)) {
    throw new BenchArgumentError(`pass one --arch (p2p or dedicated): the architectures of one scenario run side by side and their containers would be counted together\n${usage}`);
  }
  const out = optionValues(args, '--out');
  if (out?.length !== 1 || out[0] === '') throw new BenchArgumentError(`pass --out <dir>: the bench reads the run's history and report.json there\n${usage}`);
  const repeated = (optionValues(args, '--repeat') ?? []).some((value) => value !== '1');
  const several = [...(repeated ? ['--repeat'] : []), ...severalRuns.filter((option) => args.some((arg) => arg === option || arg.startsWith(`${option}=`)))];
  if (several.length > 0) throw new BenchArgumentError(`the bench measures one run: drop ${several.join(', ')}\n${usage}`);
  return { args, architecture: architecture[0] as Architecture, outDir: out[0]! };
}
