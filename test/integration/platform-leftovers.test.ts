import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { findLeftovers, removeLeftovers } from '../../harness/platform/leftovers.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';
import { pidAlive } from '../../harness/platform/process-identity.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A harness that starts a platform, one node and one link, prints what it made, then waits to be killed. */
const harnessScript = (kind: string): string => `
import { ResourceOwner } from '${root}harness/lifecycle/owner.js';
import { createPlatform } from '${root}harness/platform/create-platform.js';
import { createLinkLayer } from '${root}harness/network/link-layer.js';
const owner = new ResourceOwner();
const platform = await createPlatform({ kind: '${kind}', owner });
const node = await platform.startNode({ name: 'victim', role: 'echo', config: {} });
const link = await createLinkLayer(platform, owner).link({ from: 'clients', to: node });
const pid = 'pid' in node ? node.pid : undefined;
console.log(JSON.stringify({ runId: platform.runId, apiUrl: platform.toxiproxy.apiUrl, link: link.name, nodePid: pid }));
setInterval(() => undefined, 60_000);
`;

interface Started {
  readonly child: ChildProcess;
  readonly runId: string;
  readonly apiUrl: string;
  readonly link: string;
  readonly nodePid?: number;
}

async function startHarness(dir: string, kind: string): Promise<Started> {
  const script = join(dir, `harness-${kind}.mts`);
  await writeFile(script, harnessScript(kind));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, ...(JSON.parse(line) as Omit<Started, 'child'>) };
  }
  throw new Error('the child harness exited before starting its platform');
}

describe.each(['docker', 'local'] as const)('%s: leftovers of a harness killed with SIGKILL', (kind) => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('are not reported while the harness lives, are found once it is SIGKILLed, and the next platform start removes them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'leftovers-'));
    const started = await startHarness(dir, kind);
    const api = await dockerApi();
    const filters = { label: [`${RUN_LABEL}=${started.runId}`] };

    const whileAlive = await findLeftovers();
    expect(whileAlive.filter((l) => l.runId === started.runId)).toEqual([]);
    const proxies = (await (await fetch(`${started.apiUrl}/proxies`)).json()) as Record<string, unknown>;
    expect(Object.keys(proxies)).toEqual([started.link]);
    if (kind === 'docker') {
      const containers = await api.listContainers({ all: true, filters });
      expect(containers).toHaveLength(2);
      const bindings = containers.flatMap((c) => c.Ports.filter((p) => p.PublicPort !== undefined).map((p) => p.IP));
      // Reached through published ports, these are on 127.0.0.1 only; reached by address, there are none.
      if (new URL(started.apiUrl).hostname === '127.0.0.1') {
        expect(bindings.length).toBeGreaterThan(0);
        expect(new Set(bindings)).toEqual(new Set(['127.0.0.1']));
      } else {
        expect(bindings).toEqual([]);
      }
    }

    started.child.kill('SIGKILL');
    await new Promise((resolve) => started.child.once('exit', resolve));

    const found = (await findLeftovers()).filter((l) => l.runId === started.runId);
    const kinds = found.map((l) => l.kind).sort();
    if (kind === 'docker') expect(kinds).toEqual(['container', 'container', 'network']);
    else expect(kinds).toEqual(['process', 'process', 'proxy']);
    const pids = found.filter((l) => l.kind === 'process').map((l) => Number(l.id));
    if (started.nodePid !== undefined) expect(pids).toContain(started.nodePid);
    expect(pids.every((pid) => pidAlive(pid))).toBe(true);

    // The next platform start removes what the dead run left.
    const owner = new ResourceOwner();
    try {
      await createPlatform({ kind, owner });
    } finally {
      expect(await owner.releaseAll()).toEqual([]);
    }
    expect(await removeLeftovers(found)).toEqual([]);

    expect((await findLeftovers()).filter((l) => l.runId === started.runId)).toEqual([]);
    expect(await api.listContainers({ all: true, filters })).toEqual([]);
    expect(await api.listNetworks({ filters })).toEqual([]);
    const deadline = Date.now() + 2_000;
    while (pids.some((pid) => pidAlive(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter((pid) => pidAlive(pid))).toEqual([]);
  });
});
