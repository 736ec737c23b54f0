// Vendor tool for license keys (docs/api.md): `keygen` makes an Ed25519 key pair, `issue` signs a license.
//   npm run license -- keygen [--out-dir DIR]
//   npm run license -- issue --key <private.pem> --customer "…" --modules gossopka[,x] --until 2027-12-31
//                            [--from 2026-01-01] [--id LID]
// The key goes to stdout alone so that it can be piped; everything else goes to stderr.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLicenseKeyPair, newLicenseId, signLicenseKey } from '../src/license/license-key';

const USAGE = `usage:
  npm run license -- keygen [--out-dir DIR]
  npm run license -- issue --key <private.pem> --customer "…" --modules gossopka[,x] --until YYYY-MM-DD
                           [--from YYYY-MM-DD] [--id LICENSE_ID]
Dates are UTC; --until is inclusive (the key expires at the end of that day); --from defaults to now.`;

class UsageError extends Error {}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'keygen') return keygen(rest);
  if (command === 'issue') return issue(rest);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

function keygen(args: string[]): void {
  const { values } = parseArgs({ args, options: { 'out-dir': { type: 'string', default: '.' } }, strict: true });
  const dir = resolve(values['out-dir'] as string);
  mkdirSync(dir, { recursive: true });
  const { publicKeyPem, privateKeyPem } = generateLicenseKeyPair();
  const privatePath = resolve(dir, 'license.private.pem');
  const publicPath = resolve(dir, 'license.public.pem');
  // 'wx': never overwrite an existing key pair; losing a vendor private key invalidates every license issued with it.
  writeNew(privatePath, privateKeyPem, 0o600);
  writeNew(publicPath, publicKeyPem, 0o644);
  process.stdout.write(`private key: ${privatePath}\npublic key:  ${publicPath}\n`);
}

function issue(args: string[]): void {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      key: { type: 'string' },
      customer: { type: 'string' },
      modules: { type: 'string' },
      until: { type: 'string' },
      from: { type: 'string' },
      id: { type: 'string' },
    },
  });
  for (const name of ['key', 'customer', 'modules', 'until'] as const) {
    if (!values[name]) throw new UsageError(`--${name} is required`);
  }
  const privateKeyPem = readFileSync(values.key as string, 'utf8');
  const modules = (values.modules as string)
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const validFrom = values.from ? parseDate(values.from, 'from', false) : new Date();
  const validUntil = parseDate(values.until as string, 'until', true);
  const key = signLicenseKey({ licenseId: values.id ?? newLicenseId(), customer: values.customer as string, modules, validFrom, validUntil }, privateKeyPem);
  process.stdout.write(`${key}\n`);
}

/** A bare date means a whole UTC day: --from starts at its midnight, --until ends at the next midnight. */
function parseDate(text: string, option: string, endOfDay: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(text)) {
      return endOfDay ? new Date(day.getTime() + 24 * 3600 * 1000) : day;
    }
  } else {
    const instant = new Date(text);
    if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(instant.getTime())) return instant;
  }
  throw new UsageError(`--${option} must be a date YYYY-MM-DD or an ISO 8601 date-time, got "${text}"`);
}

function writeNew(path: string, content: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  const message = e.code === 'EEXIST' ? `${e.path} already exists; refusing to overwrite a key` : e.message;
  process.stderr.write(`license: ${message}\n`);
  const usage = error instanceof UsageError || (e.code ?? '').startsWith('ERR_PARSE_ARGS');
  if (usage) process.stderr.write(`${USAGE}\n`);
  process.exitCode = usage ? 2 : 1;
}
