import { describe, expect, it } from 'vitest';
import { parseLddOutput } from '../../../harness/provision/host-node-rootfs.js';

describe('parseLddOutput', () => {
  it('lists every library and the loader, not the vDSO', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd4a1f0000)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f2559e2b000)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f2559c00000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f255991e000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f2559e44000)',
    ].join('\n');
    expect(parseLddOutput(output)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('finds nothing in a static binary', () => {
    expect(parseLddOutput('\tnot a dynamic executable')).toEqual([]);
  });
});
