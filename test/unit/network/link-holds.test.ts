import { describe, expect, it } from 'vitest';
import { LinkHolds } from '../../../harness/network/link-holds.js';

class SwitchLink {
  isUp = true;
  failUps = 0;
  constructor(
    readonly name: string,
    private readonly journal: string[],
    private readonly failDown = false,
  ) {}

  async down(): Promise<void> {
    await Promise.resolve();
    if (this.failDown) throw new Error(`cannot take ${this.name} down`);
    this.isUp = false;
    this.journal.push(`down ${this.name}`);
  }

  async up(): Promise<void> {
    await Promise.resolve();
    if (this.failUps > 0) {
      this.failUps -= 1;
      throw new Error(`cannot bring ${this.name} up`);
    }
    this.isUp = true;
    this.journal.push(`up ${this.name}`);
  }
}

describe('LinkHolds', () => {
  it('brings a link held by two faults up only when both have let go', async () => {
    const journal: string[] = [];
    const link = new SwitchLink('a', journal);
    const holds = new LinkHolds();
    const first = await holds.holdDown([link]);
    const second = await holds.holdDown([link]);
    await first();
    expect(link.isUp).toBe(false);
    expect(holds.heldBy('a')).toBe(1);
    await second();
    expect(link.isUp).toBe(true);
    expect(holds.heldBy('a')).toBe(0);
  });

  it('lets go once, however often the release is called', async () => {
    const journal: string[] = [];
    const link = new SwitchLink('a', journal);
    const holds = new LinkHolds();
    const first = await holds.holdDown([link]);
    const second = await holds.holdDown([link]);
    await first();
    await first();
    expect(link.isUp).toBe(false);
    await second();
    expect(journal).toEqual(['down a', 'down a', 'up a']);
  });

  it('keeps the order of a release and a new hold: the link ends down', async () => {
    const journal: string[] = [];
    const link = new SwitchLink('a', journal);
    const holds = new LinkHolds();
    const first = await holds.holdDown([link]);
    const releasing = first();
    const again = holds.holdDown([link]);
    await Promise.all([releasing, again]);
    expect(journal).toEqual(['down a', 'up a', 'down a']);
    expect(link.isUp).toBe(false);
  });

  it('lets go of the links that went down when another will not, and throws its failure', async () => {
    const journal: string[] = [];
    const good = new SwitchLink('good', journal);
    const bad = new SwitchLink('bad', journal, true);
    const holds = new LinkHolds();
    await expect(holds.holdDown([good, bad])).rejects.toThrow('cannot take bad down');
    expect(good.isUp).toBe(true);
    expect(holds.heldBy('good')).toBe(0);
    expect(holds.heldBy('bad')).toBe(0);
  });

  it('tries a failed up again on the next release, without letting go twice', async () => {
    const journal: string[] = [];
    const link = new SwitchLink('a', journal);
    const holds = new LinkHolds();
    const release = await holds.holdDown([link]);
    link.failUps = 1;
    await expect(release()).rejects.toThrow('cannot bring a up');
    expect(link.isUp).toBe(false);
    await release();
    expect(link.isUp).toBe(true);
    expect(holds.heldBy('a')).toBe(0);
  });
});
