import { open } from 'node:fs/promises';

const PT_INTERP = 3;

/**
 * Whether an ELF executable is statically linked (no program interpreter), read from its
 * program headers; null when the file is not a 64-bit little-endian ELF or cannot be read.
 */
export async function isStaticElf(file: string): Promise<boolean | null> {
  let handle;
  try {
    handle = await open(file, 'r');
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return null;
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i += 1) {
      if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false;
    }
    return true;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
