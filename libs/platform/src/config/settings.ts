import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';

/** Raised at start-up; its message names the offending variable(s). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The process environment as read once at start; a blank variable counts as unset. */
export type Environment = Readonly<Record<string, string | undefined>>;

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Keys written on one line with \\n escapes, as .env files and CI secrets carry them. */
const unescapeNewlines = (text: string) => text.replace(/\\n/g, '\n').trim();

function isRsaPem(text: string, kind: 'private' | 'public'): boolean {
  try {
    // A private key would pass createPublicKey too (it derives one): ask for the kind exactly.
    const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
    const isPrivatePem = /PRIVATE KEY-----/.test(text);
    return key.asymmetricKeyType === 'rsa' && isPrivatePem === (kind === 'private');
  } catch {
    return false;
  }
}

/** The PEM blocks of `text`, or null when something else stands between them. */
function pemBlocks(text: string): string[] | null {
  const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  const rest = blocks.reduce((remaining, block) => remaining.replace(block, ''), text);
  return /^[\s,]*$/.test(rest) ? blocks : null;
}

/** The building blocks of every settings schema, so all of them check ports, URLs and keys alike. */
export const setting = {
  port: () => z.coerce.number().int().min(1).max(65_535),
  positiveInt: () => z.coerce.number().int().min(1),
  url: (protocols: string[]) =>
    z.string().refine(
      (text) => {
        try {
          return protocols.includes(new URL(text).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(' or ')})`,
    ),
  pem: (kind: 'private' | 'public') =>
    z
      .string()
      .transform(unescapeNewlines)
      .refine((text) => isRsaPem(text, kind), { message: `must be a PEM-encoded RSA ${kind} key` }),
  /** PEM blocks one after the other (blank lines or commas between them are fine), each an RSA key of `kind`. */
  pems: (kind: 'private' | 'public') =>
    z
      .string()
      .transform((text) => pemBlocks(unescapeNewlines(text)))
      .refine((blocks) => blocks !== null && blocks.length > 0 && blocks.every((block) => isRsaPem(block, kind)), {
        message: `must be one or more PEM-encoded RSA ${kind} keys`,
      })
      .transform((blocks) => blocks as string[]),
  /** Unset or blank gives `fallback`. */
  withDefault: <T extends z.ZodType>(schema: T, fallback: z.input<T> & z.output<T>) => z.preprocess(blankAsUndefined, schema.default(fallback as never)),
  /** Unset or blank gives undefined. */
  optional: <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional()),
  /** Unset or blank stops the start naming the variable. */
  required: <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema),
};

/** One app's settings: the variables only it reads, validated at start and injected under `token`. */
export interface AppSettings<S extends z.ZodRawShape = z.ZodRawShape> {
  /** Names the app in messages; the injection token is made from it. */
  readonly name: string;
  readonly token: symbol;
  readonly schema: z.ZodObject<S>;
  /** Checks across variables (both or neither…): the problem, or undefined. */
  readonly check?: (settings: Partial<z.output<z.ZodObject<S>>>) => string | undefined;
}

/** The typed settings an app receives: `@Inject(callsSettings.token) settings: SettingsOf<typeof callsSettings>`. */
export type SettingsOf<T extends AppSettings> = z.output<T['schema']>;

export function defineSettings<S extends z.ZodRawShape>(name: string, shape: S, check?: AppSettings<S>['check']): AppSettings<S> {
  return { name, token: Symbol(`${name} settings`), schema: z.object(shape), check };
}

/**
 * The problems of `source` against `settings`, each naming its variable. `partial` checks only the
 * variables given: what a composition may still fill in (standalone's secrets) is not missing yet.
 */
export function settingsProblems(settings: AppSettings, source: Environment, partial = false): { value?: unknown; problems: string[] } {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = (partial ? settings.schema.partial() : settings.schema).safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return given[name] === undefined ? `${name} is required` : `${name} ${issue.message}`;
    });
    return { problems };
  }
  const problem = settings.check?.(parsed.data);
  return problem ? { problems: [problem] } : { value: parsed.data, problems: [] };
}

/** Parses `settings` from `source`, or raises a ConfigError naming every bad variable. */
export function parseSettings<T extends AppSettings>(settings: T, source: Environment): SettingsOf<T> {
  const { value, problems } = settingsProblems(settings, source);
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return value as SettingsOf<T>;
}
