import { z } from 'zod';

const roles = ['echo', 'login', 'supernode', 'offline-messages', 'client-fleet'] as const;

const serviceEnvSchema = z.object({
  CHAOS_ROLE: z.enum(roles),
  CHAOS_NODE_NAME: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  CHAOS_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  CHAOS_SERVICE_PORT: z.coerce.number().int().min(1).max(65535).default(7000),
  CHAOS_CONTROL_PORT: z.coerce.number().int().min(1).max(65535).default(7100),
  CHAOS_NODE_CONFIG: z.string().default('{}'),
});

export type ServiceRoleName = (typeof roles)[number];

export interface ServiceEnvironment {
  readonly role: ServiceRoleName;
  readonly name: string;
  readonly bindHost: string;
  readonly servicePort: number;
  readonly controlPort: number;
  readonly config: unknown;
}

/** Reads and validates the environment every service starts from; throws with every problem named. */
export function readServiceEnv(env: NodeJS.ProcessEnv): ServiceEnvironment {
  const parsed = serviceEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid service environment: ${problems.join('; ')}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(parsed.data.CHAOS_NODE_CONFIG);
  } catch (error) {
    throw new Error(`CHAOS_NODE_CONFIG is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return {
    role: parsed.data.CHAOS_ROLE,
    name: parsed.data.CHAOS_NODE_NAME,
    bindHost: parsed.data.CHAOS_BIND_HOST,
    servicePort: parsed.data.CHAOS_SERVICE_PORT,
    controlPort: parsed.data.CHAOS_CONTROL_PORT,
    config,
  };
}

/** Validates a role's JSON config with its schema; the error names every bad field. */
export function parseRoleConfig<T>(role: string, schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`invalid ${role} config: ${problems.join('; ')}`);
}
