/** Keeps the last `capacity` characters written to it: bounded node logs. */
export class TextRing {
  private chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {}

  write(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.capacity && this.chunks.length > 0) {
      const first = this.chunks[0] ?? '';
      const excess = this.length - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const body = this.chunks.join('');
    return this.dropped === 0 ? body : `[${this.dropped} earlier characters dropped]\n${body}`;
  }
}
