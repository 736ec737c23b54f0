// Runs the NCIRCC (RuCERT) emulator of src/rucert-simulator as a standalone server, for the demo, manual tests and
// trying the integration offline:
//   npm run rucert:simulator -- --token demo-token [--profile 1.1.2] [--mssp] [--port 9400] [--host 127.0.0.1]
//                               [--prefix /api/v2] [--auto-register-ms 30000]
// Prints the base URL to put into the integration settings and the control API that plays NCIRCC's side.
import { parseArgs } from 'node:util';
import { CONTROL_ROUTES } from '../src/rucert-simulator/control-routes';
import { startRucertSimulator } from '../src/rucert-simulator/simulator';

const USAGE =
  'usage: npm run rucert:simulator -- --token TOKEN [--profile 1.1.2|1.0] [--mssp] [--port 9400] [--host 127.0.0.1] [--prefix /api/v2] [--auto-register-ms N]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      port: { type: 'string', default: '9400' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      prefix: { type: 'string', default: '' },
      profile: { type: 'string', default: '1.1.2' },
      mssp: { type: 'boolean', default: false },
      'auto-register-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.token) throw new Error('--token is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  const autoRegister = values['auto-register-ms'];
  const autoRegisterMs = autoRegister === undefined ? undefined : Number(autoRegister);
  if (autoRegisterMs !== undefined && (!Number.isInteger(autoRegisterMs) || autoRegisterMs < 0)) {
    throw new Error(`--auto-register-ms must be a non-negative integer, got "${autoRegister}"`);
  }

  const emulator = await startRucertSimulator({
    port,
    host: values.host,
    token: values.token,
    prefix: values.prefix,
    profile: values.profile,
    mssp: values.mssp,
    autoRegisterMs,
  });
  const kind = emulator.mssp ? 'an MSSP token (company required)' : `the token of ${emulator.organization} (no company)`;
  process.stdout.write(
    `NCIRCC emulator, API profile ${emulator.profile}, ${kind}\n` +
      `RuCERT simulator listening: ${emulator.url}\n` +
      `control API (no token), ${emulator.origin}:\n${CONTROL_ROUTES.map((r) => `  ${r}`).join('\n')}\n`,
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`rucert:simulator: ${error.message}\n${USAGE}\n`);
  process.exitCode = 2;
});
