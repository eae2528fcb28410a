import type { Command } from 'commander';
import { collectDoctorFacts } from '../doctor/doctor-facts.js';
import { doctorJson, doctorText } from '../doctor/doctor-render.js';
import { judgeDoctor } from '../doctor/doctor-verdict.js';
import { resolveImageNames, withImageNameOptions, type ImageNameOptions } from '../provision/image-options.js';

interface DoctorFlags extends ImageNameOptions {
  readonly json?: boolean;
  readonly clean?: boolean;
}

export function registerDoctorCommand(program: Command): void {
  withImageNameOptions(
    program
      .command('doctor')
      .description('check the engine, toxiproxy-server, images, chromium and leftovers; exit 0 when a run can start, 3 otherwise')
      .option('--json', 'print one JSON document')
      .option('--clean', 'remove leftovers of earlier runs'),
  ).action(async (flags: DoctorFlags) => {
    const facts = await collectDoctorFacts(resolveImageNames(flags), { clean: flags.clean === true });
    const verdict = judgeDoctor(facts);
    process.stdout.write(flags.json === true ? `${JSON.stringify(doctorJson(facts, verdict), null, 2)}\n` : `${doctorText(facts, verdict)}\n`);
    process.exitCode = verdict.exitCode;
  });
}
