import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import {
  checkRegistryReachable,
  parseRegistryAddress,
  pushedDigest,
  pushImage,
  registryFromEnv,
  registryImageName,
  type PushEvent,
} from '../../../harness/platform/image-registry.js';
import { swarmImageRefs } from '../../../harness/platform/swarm-platform.js';

function caught(run: () => unknown): ChaosError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChaosError);
    return error as ChaosError;
  }
  throw new Error('expected a ChaosError');
}

async function rejected(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChaosError);
  return error as ChaosError;
}

const digest = `sha256:${'d'.repeat(64)}`;

describe('parseRegistryAddress', () => {
  it.each(['127.0.0.1:5000', 'localhost:5000', 'registry.example.com:443', 'Registry-1.lan:65535', '[::1]:5000', '[fd00::2]:1'])('accepts %s', (value) => {
    expect(parseRegistryAddress(value, '--registry')).toBe(value);
  });

  it.each([
    ['', /it is empty/],
    ['http://127.0.0.1:5000', /it has a scheme/],
    ['https://registry.example.com:443', /it has a scheme/],
    ['127.0.0.1:5000/v2', /it has a path/],
    ['127.0.0.1', /it has no port/],
    ['127.0.0.1:', /it has no port/],
    ['[::1]', /it has no port/],
    ['127.0.0.1:0', /port "0" is not a port from 1 to 65535/],
    ['127.0.0.1:65536', /port "65536" is not a port/],
    ['127.0.0.1:50a', /port "50a" is not a port/],
    ['::1:5000', /"::1" is not a hostname/],
    ['[not-v6]:5000', /"not-v6" is not a hostname/],
    ['300.1.1.1:5000', /"300.1.1.1" is not an IPv4 address/],
    ['my_registry:5000', /"my_registry" is not a hostname/],
    [' 127.0.0.1:5000', /is not a hostname/],
  ])('refuses %j, naming the value, its source and a correct example', (value, problem) => {
    const error = caught(() => parseRegistryAddress(value, '--registry'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`--registry "${value}" is not a registry address (host:port)`);
    expect(error.message).toMatch(problem);
    expect(error.hint).toBe('give the registry as host:port with no scheme or path, e.g. --registry 127.0.0.1:5000');
  });

  it('names CHAOS_REGISTRY when the value came from there', () => {
    const error = caught(() => registryFromEnv({ CHAOS_REGISTRY: 'http://127.0.0.1:5000' }));
    expect(error.message).toMatch(/^CHAOS_REGISTRY "http:\/\/127\.0\.0\.1:5000" is not a registry address/);
    expect(error.hint).toContain('CHAOS_REGISTRY=127.0.0.1:5000');
  });

  it('takes an unset or empty CHAOS_REGISTRY as no registry', () => {
    expect(registryFromEnv({})).toBeUndefined();
    expect(registryFromEnv({ CHAOS_REGISTRY: '' })).toBeUndefined();
    expect(registryFromEnv({ CHAOS_REGISTRY: '10.0.0.5:5000' })).toBe('10.0.0.5:5000');
  });
});

describe('registryImageName', () => {
  it.each([
    ['ghcr.io/shopify/toxiproxy:2.12.0', '127.0.0.1:5000/shopify/toxiproxy', '2.12.0'],
    ['supernode-chaos/services:dev', '127.0.0.1:5000/supernode-chaos/services', 'dev'],
    ['node:20-bookworm-slim', '127.0.0.1:5000/node', '20-bookworm-slim'],
    ['busybox', '127.0.0.1:5000/busybox', 'latest'],
    ['localhost/team/app', '127.0.0.1:5000/team/app', 'latest'],
    ['other.registry:5000/team/app:v1', '127.0.0.1:5000/team/app', 'v1'],
    // A digest in the source name is dropped: the pushed image is named by the digest the new registry returns.
    [`ghcr.io/shopify/toxiproxy:2.12.0@${digest}`, '127.0.0.1:5000/shopify/toxiproxy', '2.12.0'],
    [`ghcr.io/shopify/toxiproxy@${digest}`, '127.0.0.1:5000/shopify/toxiproxy', 'latest'],
  ])('%s', (image, repo, tag) => {
    expect(registryImageName('127.0.0.1:5000', image)).toEqual({ repo, tag });
  });

  it.each(['', 'sha256:abc', 'Upper/Case:1', 'team//app', 'app:bad tag'])('refuses %j, which is no image name', (image) => {
    const error = caught(() => registryImageName('127.0.0.1:5000', image));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.hint).toContain('[host/]path[:tag]');
  });
});

const answering =
  (status: number | Error, seen: string[] = []): typeof fetch =>
  async (input, init) => {
    seen.push(String(input));
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    if (status instanceof Error) throw status;
    return new Response('{}', { status });
  };

describe('checkRegistryReachable', () => {
  it('asks GET http://<registry>/v2/ and takes 200 or 401 for a registry', async () => {
    const seen: string[] = [];
    await checkRegistryReachable('127.0.0.1:5000', answering(200, seen));
    await checkRegistryReachable('[::1]:5000', answering(401, seen));
    expect(seen).toEqual(['http://127.0.0.1:5000/v2/', 'http://[::1]:5000/v2/']);
  });

  it('refuses (exit 3) an address where nothing answers, with what came back and the fix', async () => {
    const error = await rejected(checkRegistryReachable('127.0.0.1:5999', answering(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:5999') }))));
    expect(error.code).toBe('IMAGE_UNAVAILABLE');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('no registry answers at 127.0.0.1:5999 (GET http://127.0.0.1:5999/v2/: connect ECONNREFUSED 127.0.0.1:5999)');
    expect(error.hint).toContain('chaos registry start');
    expect(error.hint).toContain('--registry');
  });

  it('refuses a server that answers, but not as a registry', async () => {
    const error = await rejected(checkRegistryReachable('127.0.0.1:8080', answering(404)));
    expect(error.message).toBe('127.0.0.1:8080 answers GET http://127.0.0.1:8080/v2/ with HTTP 404, not as a registry (200 or 401)');
    expect(error.exitCode).toBe(3);
  });

  it('gives up after its timeout', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error), { once: true }));
    const started = Date.now();
    const error = await rejected(checkRegistryReachable('10.255.255.1:5000', hanging));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(error.message).toMatch(/^no registry answers at 10\.255\.255\.1:5000 .*timeout/i);
  });
});

describe('pushedDigest', () => {
  const done: PushEvent[] = [
    { status: 'The push refers to repository [127.0.0.1:5000/shopify/toxiproxy]' },
    { status: 'Pushed' },
    { status: `2.12.0: digest: ${digest} size: 739` },
    { aux: { Tag: '2.12.0', Digest: digest, Size: 739 } },
  ];

  it("reads the registry's digest from aux.Digest", () => {
    expect(pushedDigest(done, 'r')).toBe(digest);
  });

  it("fails with the registry's words on an error entry", () => {
    const error = caught(() => pushedDigest([done[0]!, { errorDetail: { message: 'denied: requested access to the resource is denied' }, error: 'denied' }], 'ref:1'));
    expect(error.code).toBe('IMAGE_UNAVAILABLE');
    expect(error.message).toBe('pushing ref:1 failed: denied: requested access to the resource is denied');
  });

  it('fails clearly when the stream ends without a digest', () => {
    expect(caught(() => pushedDigest(done.slice(0, 3), 'ref:1')).message).toMatch(/ended without the digest .*no aux\.Digest/);
  });
});

/** The engine calls pushImage and swarmImageRefs make, recorded; the push stream is `events`. */
function fakeApi(events: readonly PushEvent[], present: readonly string[] = []) {
  const calls: string[] = [];
  const api = {
    getImage: (name: string) => ({
      inspect: async () => {
        calls.push(`inspect ${name}`);
        if (!present.includes(name)) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return { Id: `sha256:id-of-${name}` };
      },
      tag: async (options: { repo: string; tag: string }) => void calls.push(`tag ${name} ${options.repo}:${options.tag}`),
      push: async (options: { tag: string; authconfig?: object }) => {
        calls.push(`push ${name}:${options.tag} auth=${JSON.stringify(options.authconfig)}`);
        return 'stream';
      },
    }),
    modem: {
      followProgress: (_stream: unknown, onFinished: (error: Error | null, output: PushEvent[]) => void, onProgress: (event: PushEvent) => void) => {
        for (const event of events) onProgress(event);
        onFinished(null, [...events]);
      },
    },
  };
  return { api: api as unknown as DockerApi, calls };
}

describe('pushImage', () => {
  it('tags the image with its registry name, pushes that tag anonymously, and returns repo@digest', async () => {
    const { api, calls } = fakeApi([{ status: 'Pushed' }, { aux: { Tag: '2.12.0', Digest: digest } }]);
    const progress: PushEvent[] = [];
    const ref = await pushImage(api, 'ghcr.io/shopify/toxiproxy:2.12.0', '127.0.0.1:5000', (event) => progress.push(event));
    expect(ref).toBe(`127.0.0.1:5000/shopify/toxiproxy@${digest}`);
    expect(calls).toEqual(['tag ghcr.io/shopify/toxiproxy:2.12.0 127.0.0.1:5000/shopify/toxiproxy:2.12.0', 'push 127.0.0.1:5000/shopify/toxiproxy:2.12.0 auth={}']);
    expect(progress).toHaveLength(2);
  });

  it('fails with the registry error the stream reports', async () => {
    const { api } = fakeApi([{ error: 'connection refused', errorDetail: { message: 'Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused' } }]);
    const error = await rejected(pushImage(api, 'supernode-chaos/services:dev', '127.0.0.1:5999'));
    expect(error.message).toMatch(/^pushing 127\.0\.0\.1:5999\/supernode-chaos\/services:dev failed: Get .*connection refused$/);
  });
});

describe('swarmImageRefs', () => {
  const images = ['ghcr.io/shopify/toxiproxy:2.12.0', 'supernode-chaos/services:dev'];

  it('names the images by local ID without a registry, and pushes nothing', async () => {
    const { api, calls } = fakeApi([], images);
    expect(await swarmImageRefs(api, images, undefined)).toEqual(images.map((image) => `sha256:id-of-${image}`));
    expect(calls.some((call) => call.startsWith('push'))).toBe(false);
  });

  it('with a registry, pushes both and names them by repo@digest', async () => {
    const { api, calls } = fakeApi([{ aux: { Digest: digest } }], images);
    expect(await swarmImageRefs(api, images, '127.0.0.1:5000')).toEqual([`127.0.0.1:5000/shopify/toxiproxy@${digest}`, `127.0.0.1:5000/supernode-chaos/services@${digest}`]);
    expect(calls.filter((call) => call.startsWith('push'))).toHaveLength(2);
  });

  it('gives a push up after its bound, naming the image and the registry', async () => {
    const { api } = fakeApi([], images);
    const hanging = api as unknown as { getImage: (name: string) => Record<string, unknown> };
    const real = hanging.getImage;
    hanging.getImage = (name) => ({
      ...real(name),
      push: (options: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => options.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
    });
    const error = await rejected(swarmImageRefs(api, images, '127.0.0.1:5000', undefined, 50));
    expect(error.code).toBe('IMAGE_UNAVAILABLE');
    expect(error.message).toBe('pushing ghcr.io/shopify/toxiproxy:2.12.0 to 127.0.0.1:5000 did not finish within 0.05 s');
  });

  it('refuses missing local images before pushing anything', async () => {
    const { api, calls } = fakeApi([{ aux: { Digest: digest } }], [images[0]!]);
    const error = await rejected(swarmImageRefs(api, images, '127.0.0.1:5000'));
    expect(error.code).toBe('IMAGE_UNAVAILABLE');
    expect(error.message).toBe('image not present: supernode-chaos/services:dev');
    expect(calls.some((call) => call.startsWith('tag') || call.startsWith('push'))).toBe(false);
  });
});
