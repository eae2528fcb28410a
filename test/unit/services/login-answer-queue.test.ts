import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerQueue, type Answer } from '../../../services/login/answer-queue.js';
import { AnswerLatencyWindow } from '../../../services/login/answer-latency.js';

const clock = { now: () => Date.now() };

function request(listSize: number, delivered: number[]): () => Answer {
  return () => ({ listSize, deliver: () => delivered.push(Date.now()) });
}

describe("login's answer queue (a directory of finite capacity)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers capacity requests a second, in arrival order, and reports every answer latency', () => {
    const latencies: number[] = [];
    const queue = new AnswerQueue({ capacity: 100, queueLimit: 100, answerCostMsPerSupernode: 0 }, clock, (ms) => latencies.push(ms));
    const delivered: number[] = [];
    for (let i = 0; i < 50; i += 1) expect(queue.submit(request(0, delivered))).toBe(true);
    expect(queue.depth).toBe(50);
    vi.advanceTimersByTime(250);
    expect(delivered).toHaveLength(25);
    vi.advanceTimersByTime(260);
    expect(delivered).toHaveLength(50);
    expect(queue.depth).toBe(0);
    expect(latencies[0]).toBe(10);
    expect(latencies[49]).toBe(500);
  });

  it('charges each answer for the supernodes it names', () => {
    const latencies: number[] = [];
    const queue = new AnswerQueue({ capacity: 1_000, queueLimit: 10, answerCostMsPerSupernode: 20 }, clock, (ms) => latencies.push(ms));
    const delivered: number[] = [];
    queue.submit(request(10, delivered));
    queue.submit(request(0, delivered));
    vi.advanceTimersByTime(200);
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual([201]);
    vi.advanceTimersByTime(1);
    expect(latencies).toEqual([201, 202]);
  });

  it('refuses requests beyond its queue limit, and takes them again once it has room', () => {
    const queue = new AnswerQueue({ capacity: 10, queueLimit: 3, answerCostMsPerSupernode: 0 }, clock, () => undefined);
    const delivered: number[] = [];
    // The first is answered at once (in service); three more wait; the fifth is refused.
    const accepted = Array.from({ length: 5 }, () => queue.submit(request(0, delivered)));
    expect(accepted).toEqual([true, true, true, true, false]);
    vi.advanceTimersByTime(100);
    expect(queue.submit(request(0, delivered))).toBe(true);
  });

  it('applies a request when its turn comes, not when it arrives', () => {
    const queue = new AnswerQueue({ capacity: 10, queueLimit: 10, answerCostMsPerSupernode: 0 }, clock, () => undefined);
    const appliedAt: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      queue.submit(() => {
        appliedAt.push(Date.now());
        return { listSize: 0, deliver: () => undefined };
      });
    }
    vi.advanceTimersByTime(300);
    expect(appliedAt).toEqual([0, 100, 200]);
  });
});

describe('answer latency p99 over the last second', () => {
  it('reports the p99 of the last full window, and 0 once a window passes without answers', () => {
    let now = 0;
    const window = new AnswerLatencyWindow(() => now);
    for (let i = 1; i <= 100; i += 1) window.record(i);
    expect(window.p99Ms).toBe(0);
    now = 1_000;
    expect(window.p99Ms).toBe(100);
    now = 2_500;
    expect(window.p99Ms).toBe(0);
  });
});
