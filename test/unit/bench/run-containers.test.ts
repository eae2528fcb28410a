import { describe, expect, it } from 'vitest';
import { runContainerOf, runStartedBy } from '../../bench/run-containers.js';

const listed = (id: string, name: string, role: string | undefined, runId: string, harness: string) => ({
  Id: id,
  Names: [`/${name}`],
  Labels: {
    'org.supernode-chaos.project': 'supernode-chaos',
    'org.supernode-chaos.run': runId,
    'org.supernode-chaos.harness': harness,
    ...(role === undefined ? {} : { 'org.supernode-chaos.role': role }),
  },
});

describe('the containers of a run', () => {
  it('reads role, run and the harness pid from the labels', () => {
    expect(runContainerOf(listed('a'.repeat(64), 'chaos-r1-sn-01', 'supernode', 'r1', '4242:987654'))).toEqual({
      id: 'a'.repeat(64),
      name: 'chaos-r1-sn-01',
      role: 'supernode',
      runId: 'r1',
      harnessPid: 4242,
    });
    expect(runContainerOf({ Id: 'b'.repeat(64) })).toEqual({ id: 'b'.repeat(64), name: 'bbbbbbbbbbbb', role: undefined, runId: undefined, harnessPid: undefined });
  });

  it('finds the run one of the given processes started, not another harness\'s on the same engine', () => {
    const containers = [listed('1', 'x-login', 'login', 'someone-else', '100:1'), listed('2', 'y-toxiproxy', 'toxiproxy', 'ours', '4242:5'), listed('3', 'y-login', 'login', 'ours', '4242:5')].map(runContainerOf);
    expect(runStartedBy(containers, new Set([4240, 4242]))).toBe('ours');
    expect(runStartedBy(containers, new Set([7]))).toBeUndefined();
  });
});
