/** The command line of `modelwire-mock`. */
export const USAGE = [
  'usage: modelwire-mock [--port <n>] [--oidc-issuer <url> [--audience <aud>] [--roles <file.json>]]',
  '  --port         default 4010 (env MODELWIRE_MOCK_PORT); 0 picks a free port',
  "  --oidc-issuer  check bearer tokens against this issuer's JWKS (signature, exp, iss), scopes and roles",
  '  --audience     required in the token aud; its resource_access roles count for --roles',
  '  --roles        JSON {"<model>": "<role>"}: the role a token needs per model',
].join('\n');

/** What the command line asks for. */
export interface CliArgs {
  port: number;
  help?: boolean;
  issuer?: { issuer: string; audience?: string; rolesFile?: string };
}

/** A command line mistake; the CLI prints it with {@link USAGE} and exits 2. */
export class UsageError extends Error {}

const FLAGS = ['--port', '--oidc-issuer', '--audience', '--roles'] as const;
type Flag = (typeof FLAGS)[number];

/**
 * Parses `modelwire-mock` arguments (`--flag value` or `--flag=value`; `-p` = `--port`).
 *
 * @example
 * parseCliArgs(['--port', '0', '--oidc-issuer', 'http://127.0.0.1:8080/realms/modelwire'], {});
 * // { port: 0, issuer: { issuer: 'http://127.0.0.1:8080/realms/modelwire' } }
 */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliArgs {
  const values: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { port: 0, help: true };
    const eq = arg.indexOf('=');
    const name = (arg === '-p' ? '--port' : eq > 0 ? arg.slice(0, eq) : arg) as Flag;
    if (!FLAGS.includes(name)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = eq > 0 && arg !== '-p' ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    values[name] = value;
  }
  const rawPort = values['--port'] ?? env.MODELWIRE_MOCK_PORT;
  const port = Number(rawPort ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer 0..65535, got ${JSON.stringify(rawPort)}`);
  }
  const issuer = values['--oidc-issuer'];
  if (issuer === undefined) {
    if (values['--audience'] !== undefined || values['--roles'] !== undefined) {
      throw new UsageError('--audience and --roles need --oidc-issuer');
    }
    return { port };
  }
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    throw new UsageError(`--oidc-issuer must be an http(s) URL, got ${JSON.stringify(issuer)}`);
  }
  const spec: NonNullable<CliArgs['issuer']> = { issuer };
  if (values['--audience'] !== undefined) spec.audience = values['--audience'];
  if (values['--roles'] !== undefined) spec.rolesFile = values['--roles'];
  return { port, issuer: spec };
}
