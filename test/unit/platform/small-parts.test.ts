import { describe, expect, it } from 'vitest';
import { demuxDockerLogs, engineAddress, pinLoopbackHost } from '../../../harness/platform/docker-engine.js';
import { processExitCode } from '../../../harness/platform/node-names.js';
import { formatIdentity, parseIdentity } from '../../../harness/platform/process-identity.js';
import { TextRing } from '../../../harness/platform/ring-buffer.js';
import { runLabels } from '../../../harness/platform/labels.js';
import { PROJECT_LABEL, ROLE_LABEL, RUN_LABEL } from '../../../harness/platform/platform.js';
import { checkNodeName } from '../../../harness/platform/node-names.js';

const frame = (stream: number, text: string): Buffer => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('platform small parts', () => {
  it('TextRing keeps the newest characters and says how many it dropped', () => {
    const ring = new TextRing(10);
    ring.write('abcdef');
    ring.write('ghijkl');
    expect(ring.text()).toBe('[2 earlier characters dropped]\ncdefghijkl');
    const small = new TextRing(100);
    small.write('hello');
    expect(small.text()).toBe('hello');
  });

  it('demuxes Docker log frames from stdout and stderr, and passes plain text through', () => {
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demuxDockerLogs(Buffer.from('plain text here'))).toBe('plain text here');
  });

  it('reads DOCKER_HOST', () => {
    expect(engineAddress({})).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(engineAddress({ DOCKER_HOST: 'unix:///run/d.sock' })).toEqual({ socketPath: '/run/d.sock' });
    expect(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1:2376' })).toEqual({ host: '127.0.0.1', port: 2376 });
  });

  it('pins testcontainers to loopback for a local socket engine, never over a user choice or a tcp engine', () => {
    const local: NodeJS.ProcessEnv = {};
    pinLoopbackHost(local);
    expect(local['TESTCONTAINERS_HOST_OVERRIDE']).toBe('127.0.0.1');
    const chosen: NodeJS.ProcessEnv = { TESTCONTAINERS_HOST_OVERRIDE: 'docker.example' };
    pinLoopbackHost(chosen);
    expect(chosen['TESTCONTAINERS_HOST_OVERRIDE']).toBe('docker.example');
    const remote: NodeJS.ProcessEnv = { DOCKER_HOST: 'tcp://10.0.0.5:2375' };
    pinLoopbackHost(remote);
    expect(remote['TESTCONTAINERS_HOST_OVERRIDE']).toBeUndefined();
  });

  it('maps a signal death to 128 + signal number', () => {
    expect(processExitCode(null, 'SIGKILL', { SIGKILL: 9 })).toBe(137);
    expect(processExitCode(75, null, {})).toBe(75);
    expect(processExitCode(null, null, {})).toBeUndefined();
  });

  it('round-trips a harness identity through a label', () => {
    expect(parseIdentity(formatIdentity({ pid: 12, startTicks: '345' }))).toEqual({ pid: 12, startTicks: '345' });
    expect(parseIdentity('12')).toEqual({ pid: 12 });
    expect(parseIdentity('nope')).toBeUndefined();
    expect(parseIdentity(undefined)).toBeUndefined();
  });

  it('labels every object with project, run, harness and role', () => {
    expect(runLabels('r1', { pid: 5 }, 'echo')).toEqual({
      [PROJECT_LABEL]: 'supernode-chaos',
      [RUN_LABEL]: 'r1',
      'org.supernode-chaos.harness': '5',
      [ROLE_LABEL]: 'echo',
    });
  });

  it('refuses node names that are not DNS labels, or that take Toxiproxy\'s alias', () => {
    expect(() => checkNodeName('supernode-1')).not.toThrow();
    for (const bad of ['Supernode', '-a', 'toxiproxy', 'a_b', '']) expect(() => checkNodeName(bad)).toThrow(/not usable/);
  });
});
