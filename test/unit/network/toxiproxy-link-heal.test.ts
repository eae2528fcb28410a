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
