import type { Proxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { ToxiproxyLink } from '../../../harness/network/toxiproxy-link.js';

/** A proxy whose API acknowledges every delete; `stuck` toxics stay listed anyway (Shopify/toxiproxy#412). */
function fakeProxy(listed: string[], stuck: ReadonlySet<string>): Proxy {
  const api = {
    get: async () => ({ data: listed.map((name) => ({ name })) }),
    delete: async (url: string) => {
      const name = decodeURIComponent(url.split('/').pop() ?? '');
      if (!stuck.has(name)) listed.splice(listed.indexOf(name), 1);
    },
  };
  return { name: 'clients-sn-1', api, getPath: () => '/proxies/clients-sn-1' } as unknown as Proxy;
}

describe('ToxiproxyLink.removeToxic', () => {
  it('reads the proxy back and is done when the toxic is gone', async () => {
    const listed = ['latency_downstream_1'];
    const link = new ToxiproxyLink(fakeProxy(listed, new Set()), 'clients', 'sn-1', 'toxiproxy:20000', undefined);
    await link.removeToxic('latency_downstream_1');
    expect(listed).toEqual([]);
  });

  it('fails, naming the toxic and the proxy, when Toxiproxy still lists it after an acknowledged delete', async () => {
    const listed = ['latency_downstream_1'];
    const link = new ToxiproxyLink(fakeProxy(listed, new Set(listed)), 'clients', 'sn-1', 'toxiproxy:20000', undefined);
    await expect(link.removeToxic('latency_downstream_1')).rejects.toThrow(/still lists toxic latency_downstream_1 on clients-sn-1/);
  });
});

/** A proxy whose adds fail as `outcomes` say: 'lost' lands the toxic but loses the answer, 'dropped' does not land it. */
function flakyAddProxy(outcomes: ('lost' | 'dropped' | 'refused' | 'ok')[]): { proxy: Proxy; listed: string[]; adds: () => number } {
  const listed: string[] = [];
  let adds = 0;
  const api = { get: async () => ({ data: listed.map((name) => ({ name })) }) };
  const proxy = {
    name: 'clients-offline-1',
    api,
    getPath: () => '/proxies/clients-offline-1',
    addToxic: async (body: { name: string }) => {
      const outcome = outcomes[adds] ?? 'ok';
      adds += 1;
      if (outcome === 'refused') throw new Error('Request failed with status code 400');
      if (listed.includes(body.name)) throw new Error('Request failed with status code 409');
      if (outcome === 'dropped') throw new Error('socket hang up');
      listed.push(body.name);
      if (outcome === 'lost') throw new Error('socket hang up');
      return { name: body.name, remove: async () => undefined };
    },
  } as unknown as Proxy;
  return { proxy, listed, adds: () => adds };
}

describe('ToxiproxyLink.addToxic', () => {
  const latency = { type: 'latency', attributes: { latency: 3_000 } } as const;

  it('counts an add whose answer was lost as added, when the proxy lists the toxic', async () => {
    const fake = flakyAddProxy(['lost']);
    const link = new ToxiproxyLink(fake.proxy, 'clients', 'offline-1', 'toxiproxy:20000', undefined);
    const name = await link.addToxic(latency);
    expect(fake.listed).toEqual([name]);
    expect(fake.adds()).toBe(1);
  });

  it('adds again, under the same name, when the failed add did not land', async () => {
    const fake = flakyAddProxy(['dropped', 'ok']);
    const link = new ToxiproxyLink(fake.proxy, 'clients', 'offline-1', 'toxiproxy:20000', undefined);
    const name = await link.addToxic(latency);
    expect(fake.listed).toEqual([name]);
    expect(fake.adds()).toBe(2);
  });

  it('does not try again when Toxiproxy refuses the toxic, and gives up after three dropped adds', async () => {
    const refused = flakyAddProxy(['refused']);
    await expect(new ToxiproxyLink(refused.proxy, 'clients', 'offline-1', 'toxiproxy:20000', undefined).addToxic(latency)).rejects.toThrow(/status code 400/);
    expect(refused.adds()).toBe(1);
    const dropped = flakyAddProxy(['dropped', 'dropped', 'dropped', 'ok']);
    await expect(new ToxiproxyLink(dropped.proxy, 'clients', 'offline-1', 'toxiproxy:20000', undefined).addToxic(latency)).rejects.toThrow(/failed to add a latency toxic to clients-offline-1: socket hang up/);
    expect(dropped.adds()).toBe(3);
    expect(dropped.listed).toEqual([]);
  });
});
