import { dockerApi } from '../../harness/platform/docker-engine.js';
import { SECOND_ENGINE, removeSecondEngine, secondEngineProblem, twoEngineSwarm } from '../integration/helpers/second-engine.js';

/**
 * `npx tsx test/bench/two-engine-swarm.ts up|down`: the opt-in test's two-engine swarm, kept up for a
 * run by hand (`chaos run --platform swarm --place spread --registry 10.213.0.1:PORT`), then removed.
 * `up` makes the swarm on this engine (it must be in none) and joins the second engine as a worker;
 * `down` removes the worker and leaves the swarm. As root.
 */
const insecureRange = `${SECOND_ENGINE.hostAddress.replace(/\.\d+$/, '.0')}/${SECOND_ENGINE.prefix}`;

async function main(command: string | undefined): Promise<number> {
  const api = await dockerApi();
  if (command === 'up') {
    const problem = await secondEngineProblem(api);
    if (problem !== undefined) {
      process.stderr.write(`cannot make a second engine here: ${problem}\n`);
      return 3;
    }
    const swarm = await twoEngineSwarm(api, [insecureRange]);
    process.stdout.write(`worker ${SECOND_ENGINE.hostname} (${swarm.workerNodeId}) joined at ${SECOND_ENGINE.engineAddress}; manager advertised on ${SECOND_ENGINE.hostAddress}\n`);
    process.stdout.write(`a registry both reach: npx chaos registry start --host ${SECOND_ENGINE.hostAddress} (this engine must list ${insecureRange} in insecure-registries)\n`);
    return 0;
  }
  if (command === 'down') {
    await removeSecondEngine(api, { leaveSwarm: true, removeGatewayBridge: true });
    process.stdout.write('second engine removed; this engine left the swarm\n');
    return 0;
  }
  process.stderr.write('usage: npx tsx test/bench/two-engine-swarm.ts up|down\n');
  return 2;
}

process.exitCode = await main(process.argv[2]);
