#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx chaos ...` needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { main } = await import(fileURLToPath(new URL('../cli.ts', import.meta.url)));
process.exit(await main(process.argv.slice(2)));
