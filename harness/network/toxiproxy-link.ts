import type { Proxy, Toxic } from 'toxiproxy-node-client';
import { ChaosError, errorMessage } from '../errors.js';
import type { Endpoint } from '../platform/platform.js';
import type { ToxicSpec } from '../scenario/types.js';
import type { Link } from './link-types.js';
import { validateToxic } from './toxic-schema.js';
import { boundedCall } from './bounded-call.js';

/*
 * Toxiproxy applies a toxic with `toxicity` < 1 to a random share of *connections*, decided when each
 * connection opens, and its `-seed` flag has no effect in 2.12: runs are not reproducible through it.
 * Victims and schedules therefore come from the harness's own seeded randomness, and scenarios use
 * toxicity 1 on the links they pick.
 */

/** Tries of one toxic add, each bounded (see addToxic). */
const addTries = 3;

/** Toxiproxy refused the request itself (bad attributes, unknown proxy): trying again cannot help. */
function isRefused(error: unknown): boolean {
  return /status code (400|404)/.test(errorMessage(error));
}

export function isGone(error: unknown): boolean {
  return /status code 404/.test(errorMessage(error));
}

export function toxiproxyFailure(what: string, error: unknown): ChaosError {
  return new ChaosError('TOXIPROXY_UNAVAILABLE', `Toxiproxy failed to ${what}: ${errorMessage(error)}`, {
    hint: 'check that the run\'s Toxiproxy still answers (chaos doctor); a 409 means the proxy or toxic already exists',
    cause: error,
  });
}

export class ToxiproxyLink implements Link {
  private proxy: Proxy;
  private readonly applied = new Map<string, Toxic<unknown>>();
  private counter = 0;

  constructor(
    proxy: Proxy,
    readonly from: string,
    readonly to: string,
    readonly dialAddress: string,
    readonly hostEndpoint: Endpoint | undefined,
  ) {
    this.proxy = proxy;
  }

  get name(): string {
    return this.proxy.name;
  }

  /**
   * Adds the toxic under a name of its own, so the call can be made idempotent: when an add fails
   * without a refusal (no answer in time, a dropped connection: Toxiproxy's API stalls under load),
   * the proxy is read back and the toxic counts as added if it is listed; if not, the same add is
   * tried again (a late first add then makes it a 409, and the read-back settles it).
   */
  async addToxic(spec: ToxicSpec): Promise<string> {
    const toxic = validateToxic(spec);
    this.counter += 1;
    const name = `${toxic.type}_${toxic.stream}_${this.counter}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= addTries; attempt += 1) {
      try {
        const handle = await boundedCall(`add toxic ${name}`, () => this.proxy.addToxic<unknown>({ name, ...toxic, attributes: { ...toxic.attributes } }), { tries: 1 });
        this.applied.set(name, handle);
        return name;
      } catch (error) {
        lastError = error;
        if (isRefused(error)) break;
        if (await this.lists(name)) return name;
      }
    }
    throw toxiproxyFailure(`add a ${toxic.type} toxic to ${this.name}`, lastError);
  }

  /** Whether the proxy lists the toxic now; a proxy that cannot be read lists nothing (the add is tried again). */
  private async lists(name: string): Promise<boolean> {
    return (await this.listedToxics().catch((): readonly string[] => [])).includes(name);
  }

  /** The toxics Toxiproxy lists on this proxy now (bounded, retried; a 404 is final). */
  private async listedToxics(): Promise<readonly string[]> {
    const response = await boundedCall(`read the toxics of ${this.name}`, () => this.proxy.api.get<{ name: string }[]>(`${this.proxy.getPath()}/toxics`), { final: isGone });
    return response.data.map((toxic) => toxic.name);
  }

  async removeToxic(name: string): Promise<void> {
    const known = this.applied.get(name);
    this.applied.delete(name);
    try {
      await boundedCall(
        `remove toxic ${name}`,
        () => (known !== undefined ? known.remove() : this.proxy.api.delete(`${this.proxy.getPath()}/toxics/${encodeURIComponent(name)}`)),
        { final: isGone },
      );
    } catch (error) {
      if (!isGone(error)) throw toxiproxyFailure(`remove toxic ${name} from ${this.name}`, error);
    }
    await this.confirmRemoved(name);
  }

  /** Reads the proxy back: a removal the API acknowledged but did not carry out (Shopify/toxiproxy#412, #558) is no heal. */
  private async confirmRemoved(name: string): Promise<void> {
    let listed: readonly string[];
    try {
      listed = await this.listedToxics();
    } catch (error) {
      if (isGone(error)) return;
      throw toxiproxyFailure(`read back the toxics of ${this.name}`, error);
    }
    if (listed.includes(name)) {
      throw new ChaosError('TOXIPROXY_UNAVAILABLE', `Toxiproxy still lists toxic ${name} on ${this.name} after removing it`, {
        hint: 'the heal did not take: check the run\'s Toxiproxy (chaos doctor); `npx chaos heal` removes every toxic of every run',
      });
    }
  }

  async down(): Promise<void> {
    await this.setEnabled(false);
  }

  async up(): Promise<void> {
    await this.setEnabled(true);
  }

  /** Deletes the proxy (bounded: 5 s, three tries); a proxy that is already gone is fine. */
  async remove(): Promise<void> {
    try {
      await boundedCall(`delete proxy ${this.name}`, () => this.proxy.remove(), { final: isGone });
    } catch (error) {
      if (!isGone(error)) throw toxiproxyFailure(`delete proxy ${this.name}`, error);
    }
  }

  private async setEnabled(enabled: boolean): Promise<void> {
    try {
      this.proxy = await boundedCall(`${enabled ? 'enable' : 'disable'} ${this.name}`, () =>
        this.proxy.update({ enabled, listen: this.proxy.listen, upstream: this.proxy.upstream }),
      );
    } catch (error) {
      throw toxiproxyFailure(`${enabled ? 'enable' : 'disable'} ${this.name}`, error);
    }
  }
}
