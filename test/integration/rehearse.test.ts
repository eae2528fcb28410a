import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../harness/observe/history-writer.js';
import { pidAlive } from '../../harness/platform/process-identity.js';
import { readRunRecords } from '../../harness/platform/run-registry.js';
import { loadScenario } from '../../harness/runner/scenario-catalog.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';

/*
 * chaos rehearse on the local platform with a small dedicated topology (2 supernodes, one fleet of
 * 20 clients), driven through its page in headless Chromium. The run registry is the test's own, so
 * `chaos heal` from the second process touches this rehearsal alone (and --platform local leaves the
 * Docker engine, and every other run on the machine, alone).
 */

const small = smallDedicatedScenario({
  name: 'rehearse-small',
  description: 'A small dedicated topology for the rehearsal integration test.',
  oneHour: '10s',
  seed: 7,
  supernodes: 2,
  clients: 20,
  availabilityFloor: 0.5,
  backoffCapMs: 2_000,
  rampUpMs: 1_000,
  steadyState: { hold: '0.2h', within: '6h' },
  sampleEveryMs: 500,
  duration: '1h',
});

const DEAD_MAN_SECONDS = 4;
const artifactDir = resolve('reports', 'artifacts');

interface ProxyView {
  readonly name: string;
  readonly enabled: boolean;
  readonly toxics: readonly { name: string; type: string; attributes: Record<string, number> }[];
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'harness/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, FORCE_COLOR: '0' } });
}

function collect(child: ChildProcess): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { out: () => out, err: () => err, exit };
}

describe('chaos rehearse, driven in headless Chromium', () => {
  let dir: string;
  let registry: string;
  let browser: Browser;
  let child: ChildProcess;
  let output: ReturnType<typeof collect>;
  let operatorUrl: string;
  let base: string;
  let operatorToken: string;
  let toxiproxyApi: string;
  let runId: string;
  let toxiproxyPid: number;

  const env = (): NodeJS.ProcessEnv => ({ CHAOS_RUN_REGISTRY: registry });
  const proxies = async (): Promise<ProxyView[]> => Object.values((await (await fetch(`${toxiproxyApi}/proxies`)).json()) as Record<string, ProxyView>);
  const faultyProxies = async (): Promise<string[]> => (await proxies()).filter((p) => p.toxics.length > 0 || !p.enabled).map((p) => p.name);
  const command = async (text: string, token = operatorToken): Promise<{ status: number; body: { ok: boolean; message: string } }> => {
    const response = await fetch(`${base}/api/command`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ command: text }) });
    return { status: response.status, body: (await response.json()) as { ok: boolean; message: string } };
  };
  const openPage = async (url: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const port = new URL(url).port;
    await page.route('**/*', (route) => (new URL(route.request().url()).host === `127.0.0.1:${port}` ? route.continue() : route.abort()));
    await page.goto(url);
    await page.waitForFunction(() => Number(document.documentElement.dataset['updates'] ?? 0) > 0, undefined, { timeout: 20_000 });
    return page;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-'));
    registry = join(dir, 'registry');
    await mkdir(artifactDir, { recursive: true });
    await writeFile(join(dir, 'small.json'), JSON.stringify(small));
    child = cli(
      ['rehearse', '--scenario', join(dir, 'small.json'), '--arch', 'dedicated', '--platform', 'local', '--dead-man', String(DEAD_MAN_SECONDS), '--out', join(dir, 'out'), '--record', join(dir, 'recorded.json'), '--no-prompt'],
      env(),
    );
    output = collect(child);
    operatorUrl = await until('the rehearsal URL', () => /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(output.out())?.[1], 150_000);
    const url = new URL(operatorUrl);
    base = url.origin;
    operatorToken = url.searchParams.get('token') ?? '';
    const [record] = await readRunRecords(registry);
    if (record?.toxiproxyApi === undefined) throw new Error('no run record with a Toxiproxy API');
    toxiproxyApi = record.toxiproxyApi;
    runId = record.runId;
    toxiproxyPid = record.processes.find((p) => p.kind === 'toxiproxy')?.pid ?? 0;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGINT');
      await Promise.race([output.exit, sleep(30_000)]);
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('prints one URL and answers 401 and no data without a valid token', async () => {
    expect(output.out().trim().split('\n').filter((line) => line.startsWith('http'))).toEqual([operatorUrl]);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/', '/api/state', '/?token=wrong', `/api/state?token=${operatorToken.slice(0, -1)}${operatorToken.endsWith('A') ? 'B' : 'A'}`]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(401);
      const body = await response.text();
      expect(body).not.toContain('points');
      expect(body).not.toContain('rehearse-small');
    }
  });

  it('lets the viewer watch and not act, with charts updated at least once a second', async () => {
    const state = (await (await fetch(`${base}/api/state?token=${operatorToken}`)).json()) as { viewerUrl: string };
    const page = await openPage(state.viewerUrl);
    expect(await page.locator('#form-inject').isVisible()).toBe(false);
    const before = await page.evaluate(() => Number(document.documentElement.dataset['updates']));
    await sleep(4_000);
    const after = await page.evaluate(() => Number(document.documentElement.dataset['updates']));
    expect(after - before, 'chart updates in 4 s').toBeGreaterThanOrEqual(4);
    expect(await page.locator('.uplot').count()).toBe(5);
    const reply = await page.evaluate(
      (url) =>
        new Promise<string>((done) => {
          const ws = new WebSocket(url);
          ws.onmessage = (event) => {
            const message = JSON.parse(String(event.data)) as { type: string; message?: string };
            if (message.type === 'hello') ws.send(JSON.stringify({ type: 'command', text: 'inject latency any->login latency=1', ref: 1 }));
            if (message.type === 'reply') done(message.message ?? '');
          };
        }),
      state.viewerUrl.replace('http://', 'ws://').replace('/?', '/live?'),
    );
    expect(reply).toBe('a viewer cannot act; open the operator link to give commands');
    const viewerToken = new URL(state.viewerUrl).searchParams.get('token') ?? '';
    expect((await command('heal all', viewerToken)).status).toBe(403);
    expect(await faultyProxies()).toEqual([]);
    await page.close();
  });

  it('injects a latency fault on the offline-messages links from the page, and heals it with its button', async () => {
    const page = await openPage(operatorUrl);
    await page.selectOption('#toxic-type', 'latency');
    await page.selectOption('#toxic-from', 'any');
    await page.selectOption('#toxic-to', 'offline-messages');
    await page.fill('#attr-latency', '1500');
    await page.click('#inject');
    await page.locator('#faults li[data-fault-id="inject-1"]').waitFor({ timeout: 10_000 });
    const withToxic = (await proxies()).filter((p) => p.toxics.length > 0);
    expect(withToxic.map((p) => p.name).sort()).toEqual([`${runId}.clients->offline-1`, `${runId}.supernodes->offline-1`]);
    for (const proxy of withToxic) expect(proxy.toxics.map((t) => [t.type, t.attributes['latency']])).toEqual([['latency', 1500]]);

    await page.fill('#command-text', 'inject latency any->fleets latency=1');
    await page.click('#send-command');
    await until('the refusal', async () => ((await page.locator('#reply.refused').count()) > 0 ? true : undefined));
    expect(await page.locator('#reply').textContent()).toContain('timeline[1].action.target.links.to.group: fleets accept no connections');

    await page.click('#faults li[data-fault-id="inject-1"] button.heal');
    await until('the heal', async () => ((await faultyProxies()).length === 0 ? true : undefined));
    await page.locator('#faults li[data-fault-id="inject-1"]').waitFor({ state: 'detached', timeout: 10_000 });

    await page.fill('#mark-text', 'screenshot taken here');
    await page.click('#mark');
    await page.locator('#events li', { hasText: 'screenshot taken here' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(artifactDir, 'rehearse-dashboard.png'), fullPage: true });
    expect(existsSync(join(artifactDir, 'rehearse-dashboard.png'))).toBe(true);
    await page.close();
  });

  it('chaos heal from a second process removes every toxic and brings every link up', async () => {
    // An operator stays connected, so the dead-man switch leaves these faults to the kill switch.
    const page = await openPage(operatorUrl);
    expect((await command('inject latency any->offline-messages latency=2000')).body.ok).toBe(true);
    expect((await command('inject bandwidth clients->supernodes rate=50')).body.ok).toBe(true);
    expect((await command('cut supernodes->login')).body.ok).toBe(true);
    expect((await faultyProxies()).length).toBeGreaterThanOrEqual(4);
    const heal = collect(cli(['heal', '--platform', 'local'], env()));
    expect(await heal.exit).toBe(0);
    expect(heal.out()).toContain('rehearsal rehearse-small (dedicated');
    expect(heal.out()).toMatch(/healed inject-\d+/);
    expect(heal.out()).toContain('healed cut-1');
    expect(await faultyProxies()).toEqual([]);
    await page.close();
  });

  it('heals by itself when no operator has been connected for the dead-man delay', async () => {
    expect((await command('inject latency any->offline-messages latency=1000 as lonely')).body.ok).toBe(true);
    expect((await faultyProxies()).length).toBe(2);
    const started = Date.now();
    await until('the dead-man heal', async () => ((await faultyProxies()).length === 0 ? true : undefined), (DEAD_MAN_SECONDS + 10) * 1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual((DEAD_MAN_SECONDS - 1) * 1000);
  });

  it('ends from the page button: heals, tears down, leaves nothing behind, writes the reports and the recording', async () => {
    const page = await openPage(operatorUrl);
    await page.click('#end-session');
    expect(await Promise.race([output.exit, sleep(90_000).then(() => 'timeout')])).toBe(0);
    await page.close();

    expect(output.out()).toContain('reports:');
    for (const file of ['report.json', 'report.html', 'junit.xml', 'history-dedicated.jsonl']) expect(existsSync(join(dir, 'out', file)), file).toBe(true);
    const history = await readHistory(join(dir, 'out', 'history-dedicated.jsonl'));
    const commands = history.flatMap((event) => (event.type === 'command' ? [`${event.source} ${event.outcome} ${event.text}`] : []));
    expect(commands).toContain('page done inject latency any->offline-messages latency=1500');
    expect(commands).toContain('page refused inject latency any->fleets latency=1');
    expect(commands).toContain('page done heal inject-1');
    expect(commands).toContain('kill-switch done heal cut-1');
    expect(commands).toContain('dead-man done heal lonely');
    const marks = history.flatMap((event) => (event.type === 'mark' ? [event.label] : []));
    expect(marks.some((label) => label.startsWith('kill switch: chaos heal (pid'))).toBe(true);
    expect(marks.some((label) => label.startsWith('dead-man: no operator for'))).toBe(true);
    expect(history.findLast((event) => event.type === 'run-end')).toMatchObject({ type: 'run-end', outcome: 'completed' });

    const recorded = await loadScenario(join(dir, 'recorded.json'));
    expect(recorded.timeline.map((step) => step.action.do)).toContain('inject');
    expect(recorded.description).toContain('Targets proposed from what was measured');

    // Nothing left behind: no run or rehearsal record, no Toxiproxy, no node, no dashboard.
    expect(await readRunRecords(registry)).toEqual([]);
    expect(existsSync(join(registry, 'rehearsals')) ? readdirSync(join(registry, 'rehearsals')) : []).toEqual([]);
    expect(pidAlive(toxiproxyPid)).toBe(false);
    const nodes = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && readCmdline(pid).includes(`--chaos-run=${runId}`));
    expect(nodes).toEqual([]);
    await expect(fetch(`${base}/?token=${operatorToken}`)).rejects.toThrow();
  });
});

function readCmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
