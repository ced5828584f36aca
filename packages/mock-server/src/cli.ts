#!/usr/bin/env node
/**
 * `modelwire-mock [--port <n>] [--oidc-issuer <url> [--audience <aud>] [--roles <file>]]`: the mock model
 * gateway over HTTP on 127.0.0.1. Prints `modelwire-mock listening on http://127.0.0.1:<port>` as its
 * first stdout line; exits 0 on SIGTERM/SIGINT, 2 on a bad command line, 1 when it cannot start.
 *
 * @example
 * // node packages/mock-server/dist/cli.js --port 0 --oidc-issuer http://127.0.0.1:8080/realms/modelwire --audience modelwire-gateway
 */
import { readFileSync } from 'node:fs';
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './cli-args.js';
import type { IssuerOptions } from './issuer-verifier.js';
import { parseRolesFile } from './roles-file.js';
import { startMockServer } from './server.js';

function parseOrExit(argv: string[]): CliArgs {
  try {
    const args = parseCliArgs(argv, process.env);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return args;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`modelwire-mock: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

function issuerOptions(spec: NonNullable<CliArgs['issuer']>): IssuerOptions {
  const options: IssuerOptions = { issuer: spec.issuer };
  if (spec.audience !== undefined) options.audience = spec.audience;
  if (spec.rolesFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(spec.rolesFile, 'utf8');
    } catch (error) {
      throw new Error(`modelwire-mock: cannot read --roles ${spec.rolesFile}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    options.roles = parseRolesFile(text, spec.rolesFile);
  }
  return options;
}

async function main(): Promise<void> {
  const args = parseOrExit(process.argv.slice(2));
  const issuer = args.issuer ? issuerOptions(args.issuer) : undefined;
  const server = await startMockServer({ port: args.port, issuer });
  process.stdout.write(`modelwire-mock listening on ${server.url}\n`);
  if (issuer) {
    const roles = issuer.roles ? `, roles for ${Object.keys(issuer.roles).join(', ') || 'no model'}` : '';
    process.stderr.write(
      `modelwire-mock: bearer tokens checked against ${issuer.issuer}${issuer.audience ? ` (aud ${issuer.audience})` : ''}${roles}\n`,
    );
  }
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
