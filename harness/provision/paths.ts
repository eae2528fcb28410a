import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOXIPROXY_VERSION } from '../config/images.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundlePath = path.join(projectRoot, 'dist', 'services.cjs');
export const servicesSourceDir = path.join(projectRoot, 'services');
export const imageContextsDir = path.join(projectRoot, 'harness', 'provision', 'images');
/** `go install` puts the static Toxiproxy binary here (GOBIN); the offline image is built from it. */
export const toxiproxyCacheDir = path.join(projectRoot, '.cache', `toxiproxy-v${TOXIPROXY_VERSION}`);
export const toxiproxyCacheBinary = path.join(toxiproxyCacheDir, 'server');
export const systemBinDir = '/usr/local/bin';
export const userBinDir = path.join(os.homedir(), '.local', 'bin');
export const dockerdLogPath = '/var/log/supernode-chaos-dockerd.log';
export const chromiumPath = '/usr/bin/chromium';
