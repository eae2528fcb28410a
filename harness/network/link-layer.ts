import { Toxiproxy } from 'toxiproxy-node-client';
import { ChaosError } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import type { Platform } from '../platform/platform.js';
import type { Link, LinkMaker, LinkSpec } from './link-types.js';
import { ToxiproxyLink, toxiproxyFailure } from './toxiproxy-link.js';

const groupPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function proxyName(runId: string, from: string, to: string): string {
  return `${runId}.${from}->${to}`;
}

/** The links of one run, every one a Toxiproxy proxy registered with `owner` (deleted on release). */
export function createLinkLayer(platform: Platform, owner: ResourceOwner): LinkMaker<Link> {
  const toxiproxy = new Toxiproxy(platform.toxiproxy.apiUrl);
  const links = new Map<string, ToxiproxyLink>();

  return {
    async link(spec: LinkSpec): Promise<Link> {
      if (!groupPattern.test(spec.from)) {
        throw new ChaosError('INVALID_LINK', `link source "${spec.from}" is not a usable name`, {
          hint: 'name link sources with lower-case letters, digits and dashes (e.g. clients, supernodes, harness)',
        });
      }
      const name = proxyName(platform.runId, spec.from, spec.to.name);
      if (links.has(name)) {
        throw new ChaosError('INVALID_LINK', `link ${name} already exists`, { hint: 'make one link per (from, to) pair and share it' });
      }
      const port = await platform.reserveProxyPort({ hostReachable: spec.hostReachable ?? false });
      const upstream = `${spec.to.upstream.host}:${spec.to.upstream.port}`;
      let proxy;
      try {
        proxy = await toxiproxy.createProxy({ name, listen: `${platform.toxiproxy.listenHost}:${port.listenPort}`, upstream });
      } catch (error) {
        throw toxiproxyFailure(`create proxy ${name} → ${upstream}`, error);
      }
      const link = new ToxiproxyLink(proxy, spec.from, spec.to.name, `${platform.toxiproxy.dialHost}:${port.listenPort}`, port.hostEndpoint);
      links.set(name, link);
      owner.register(
        `proxy ${name}`,
        async () => {
          links.delete(name);
          // A Toxiproxy the run owns ends a moment later and takes every proxy with it: deleting them one
          // by one first cost skype-2010's Docker teardown 6 s (84 proxies), and Toxiproxy can hang
          // deleting a proxy under traffic (Shopify/toxiproxy#412, #558). A shared server's proxies are deleted.
          if (platform.toxiproxy.ownedByRun === true) return;
          await link.remove();
        },
        'proxies',
      );
      return link;
    },
  };
}
