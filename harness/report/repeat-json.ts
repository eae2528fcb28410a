import { writeFile } from 'node:fs/promises';
import { orderedControls } from './controls-json.js';
import type { ArchitectureRepeat, FidelityStats, FigureStats, PassTally, RepeatDocument } from '../verdict/repeat-summary.js';

/**
 * The aggregate `report.json` of a repeat, keys in a fixed order so two repeats diff line by line:
 * `{ scenario, description, platform, generatedAt, repeat: { count, requested, baseSeed, seeds,
 * stoppedEarly, architectures: [{ architecture, expectation, runs, met, targets, figures, fidelity }] }, controls? }`
 * (`controls` with --controls: see controls-json.ts).
 */
export function serializeRepeatDocument(document: RepeatDocument): string {
  return `${JSON.stringify(orderedDocument(document), null, 2)}\n`;
}

export async function writeRepeatJson(file: string, document: RepeatDocument): Promise<string> {
  await writeFile(file, serializeRepeatDocument(document), 'utf8');
  return file;
}

function orderedDocument(document: RepeatDocument): RepeatDocument {
  const { repeat } = document;
  return {
    scenario: document.scenario,
    description: document.description,
    platform: document.platform,
    generatedAt: document.generatedAt,
    repeat: {
      count: repeat.count,
      requested: repeat.requested,
      baseSeed: repeat.baseSeed,
      seeds: repeat.seeds,
      stoppedEarly: repeat.stoppedEarly,
      architectures: repeat.architectures.map(orderedArchitecture),
    },
    ...(document.controls === undefined ? {} : { controls: orderedControls(document.controls) }),
  };
}

function orderedArchitecture(arch: ArchitectureRepeat): ArchitectureRepeat {
  return {
    architecture: arch.architecture,
    expectation: arch.expectation,
    runs: arch.runs.map((run) => ({ seed: run.seed, verdict: run.verdict, saturated: run.saturated, dir: run.dir })),
    met: orderedTally(arch.met),
    targets: arch.targets.map(orderedTally),
    figures: arch.figures.map(orderedFigure),
    fidelity: arch.fidelity.map(orderedFidelity),
  };
}

function orderedFidelity(row: FidelityStats): FidelityStats {
  return {
    quantity: row.quantity,
    published: row.published,
    expected: row.expected,
    unit: row.unit,
    min: row.min,
    median: row.median,
    max: row.max,
    values: row.values,
    nulls: row.nulls,
    saturated: row.saturated,
  };
}

function orderedTally(tally: PassTally): PassTally {
  return {
    name: tally.name,
    passes: tally.passes,
    runs: tally.runs,
    saturated: tally.saturated,
    rate: tally.rate,
    wilson95: [tally.wilson95[0], tally.wilson95[1]],
    fails: tally.fails,
    unknown: tally.unknown,
    failingSeeds: tally.failingSeeds,
  };
}

function orderedFigure(figure: FigureStats): FigureStats {
  return { name: figure.name, min: figure.min, median: figure.median, max: figure.max, values: figure.values, nulls: figure.nulls, saturated: figure.saturated };
}
