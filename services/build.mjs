// Bundles every service into one file, the only thing the services image and the local
// platform need besides `node` itself.
import { build } from 'esbuild';

await build({
  entryPoints: ['services/main.ts'],
  outfile: 'dist/services.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  // ws loads these optional native add-ons only if present.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
