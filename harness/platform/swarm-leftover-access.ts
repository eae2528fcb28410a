import { boundedCall } from '../network/bounded-call.js';
import { dockerApi, isDockerNotFound, type DockerApi } from './docker-engine.js';
import { PROJECT_NAME } from './labels.js';
import type { DockerObjectSummary } from './leftovers.js';
import { PROJECT_LABEL } from './platform.js';
import { removeServiceAndContainers } from './swarm-engine.js';

/** The swarm part of the leftover probes and actions: labelled services, found and removed through a manager. */

/** 503 `This node is not a swarm manager`: an engine outside a swarm (or a worker) has no services to list. */
function notAManager(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 503;
}

export async function listLabelledServices(api?: DockerApi): Promise<readonly DockerObjectSummary[]> {
  const engine = api ?? (await dockerApi());
  try {
    const services = await engine.listServices({ filters: { label: [`${PROJECT_LABEL}=${PROJECT_NAME}`] } });
    return services.map((service) => ({ id: service.ID, name: service.Spec?.Name ?? service.ID, labels: service.Spec?.Labels ?? {} }));
  } catch (error) {
    if (notAManager(error)) return [];
    throw error;
  }
}

/** Removes a service (by ID or name) and waits, bounded, until its containers on this engine are gone. */
export async function removeLabelledService(id: string, api?: DockerApi): Promise<void> {
  const engine = api ?? (await dockerApi());
  const service = (await engine
    .getService(id)
    .inspect()
    .catch((error: unknown) => {
      if (isDockerNotFound(error)) return undefined;
      throw error;
    })) as { Spec?: { Name?: string } } | undefined;
  const name = service?.Spec?.Name;
  if (name === undefined) return;
  await boundedCall(`remove service ${name}`, () => removeServiceAndContainers(engine, name), { timeoutMs: 45_000, tries: 1 });
}
