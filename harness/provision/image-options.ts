import type { Command } from 'commander';
import { ImageEnv, imageNamesFrom, type ImageNames } from '../config/images.js';

export interface ImageNameOptions {
  readonly toxiproxyImage?: string;
  readonly nodeImage?: string;
  readonly servicesImage?: string;
}

/** Adds `--toxiproxy-image`, `--node-image`, `--services-image` to a command. */
export function withImageNameOptions(command: Command): Command {
  return command
    .option('--toxiproxy-image <name>', `Toxiproxy image (env ${ImageEnv.toxiproxy})`)
    .option('--node-image <name>', `Node base image for the services image (env ${ImageEnv.nodeBase})`)
    .option('--services-image <name>', `services image (env ${ImageEnv.services})`);
}

/** CLI names win over the environment; they are written back to it so everything this process starts agrees. */
export function resolveImageNames(options: ImageNameOptions, env: NodeJS.ProcessEnv = process.env): ImageNames {
  if (options.toxiproxyImage !== undefined) env[ImageEnv.toxiproxy] = options.toxiproxyImage;
  if (options.nodeImage !== undefined) env[ImageEnv.nodeBase] = options.nodeImage;
  if (options.servicesImage !== undefined) env[ImageEnv.services] = options.servicesImage;
  return imageNamesFrom(env);
}
