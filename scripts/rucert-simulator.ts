// Runs the RuCERT (NCIRCC) simulator of src/rucert-simulator as a standalone server, for the demo and manual tests:
//   npm run rucert:simulator -- --port 9400 --token demo-token [--host 127.0.0.1] [--prefix /api/v2]
// Prints the base URL to put into the integration settings; faults are injected through <origin>/_control.
import { parseArgs } from 'node:util';
import { startRucertSimulator } from '../src/rucert-simulator/simulator';

const USAGE = 'usage: npm run rucert:simulator -- --token TOKEN [--port 9400] [--host 127.0.0.1] [--prefix /api/v2]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      port: { type: 'string', default: '9400' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      prefix: { type: 'string', default: '' },
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

  const simulator = await startRucertSimulator({ port, host: values.host, token: values.token, prefix: values.prefix });
  process.stdout.write(`RuCERT simulator listening: ${simulator.url}\ncontrol API: ${simulator.origin}/_control\n`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`rucert:simulator: ${error.message}\n${USAGE}\n`);
  process.exitCode = 2;
});
