/**
 * Image names. The official names are the defaults; each can be overridden by environment
 * (or the CLI's `--toxiproxy-image` / `--node-image` / `--services-image`, which set these).
 */
export interface ImageNames {
  /** Toxiproxy's server. Offline, setup builds a `FROM scratch` image of the same binary under this name. */
  readonly toxiproxy: string;
  /** The Node base the services image is built on. Offline, setup assembles one from the host's `node`. */
  readonly nodeBase: string;
  /** The project's services image (always built locally, from `dist/services.cjs`). */
  readonly services: string;
}

export const defaultImageNames: ImageNames = {
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
  nodeBase: 'node:20-bookworm-slim',
  services: 'supernode-chaos/services:dev',
};

export const ImageEnv = {
  toxiproxy: 'CHAOS_TOXIPROXY_IMAGE',
  nodeBase: 'CHAOS_NODE_IMAGE',
  services: 'CHAOS_SERVICES_IMAGE',
} as const;

export function imageNamesFrom(env: NodeJS.ProcessEnv = process.env): ImageNames {
  return {
    toxiproxy: env[ImageEnv.toxiproxy] || defaultImageNames.toxiproxy,
    nodeBase: env[ImageEnv.nodeBase] || defaultImageNames.nodeBase,
    services: env[ImageEnv.services] || defaultImageNames.services,
  };
}

export const TOXIPROXY_VERSION = '2.12.0';
export const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server';
