import type { FaultableLink } from './link-types.js';

/** Lets go of a hold; a call after one that failed tries again the `up`s that failed. */
export type LinkRelease = () => Promise<void>;

type SwitchableLink = Pick<FaultableLink, 'name' | 'down' | 'up'>;

/**
 * Links that more than one fault may take down at once (a cut, and a crash of the nodes behind
 * it): a link is up again only when the last fault holding it lets go. Each link's `down`s and
 * `up`s reach Toxiproxy in the order they were asked for.
 */
export class LinkHolds {
  private readonly holders = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();

  /**
   * Takes every link down and holds it; resolves once all are down. When a `down` fails, the
   * hold is let go (the links that went down come up unless another fault holds them) and the
   * failure is thrown.
   */
  async holdDown(links: readonly SwitchableLink[]): Promise<LinkRelease> {
    for (const link of links) this.holders.set(link.name, (this.holders.get(link.name) ?? 0) + 1);
    const stillHeld = new Set(links);
    const toBringUp = new Set<SwitchableLink>();
    const release: LinkRelease = async () => {
      for (const link of stillHeld) {
        stillHeld.delete(link);
        const left = (this.holders.get(link.name) ?? 1) - 1;
        if (left > 0) this.holders.set(link.name, left);
        else {
          this.holders.delete(link.name);
          toBringUp.add(link);
        }
      }
      const failures: unknown[] = [];
      await Promise.all(
        [...toBringUp].map(async (link) => {
          try {
            // A fault that took the link again since then keeps it down.
            if (!this.holders.has(link.name)) await this.inOrder(link, () => link.up());
            toBringUp.delete(link);
          } catch (error) {
            failures.push(error);
          }
        }),
      );
      if (failures.length > 0) throw failures[0];
    };
    try {
      await Promise.all(links.map((link) => this.inOrder(link, () => link.down())));
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
    return release;
  }

  /** How many faults hold the link down now. */
  heldBy(linkName: string): number {
    return this.holders.get(linkName) ?? 0;
  }

  private inOrder(link: SwitchableLink, change: () => Promise<void>): Promise<void> {
    const previous = this.pending.get(link.name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(change);
    this.pending.set(link.name, next);
    return next;
  }
}
