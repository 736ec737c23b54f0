// Builds the service and the UI when the build is missing or older than the sources (npm start, npm run demo).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function stale(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => existsSync(join(root, s)) && newest(join(root, s)) > built);
}

// the lock test/support/child-service.ts builds under too: two builds must never write dist/ at once
const BUILD_LOCK = '/tmp/rucert-export-build.lock';

function run(script) {
  const npm = ['npm', 'run', '-s', script];
  const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
  const [command, ...args] = hasFlock ? ['flock', '-w', '600', BUILD_LOCK, ...npm] : npm;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export function ensureBuilt() {
  if (stale(join(root, 'dist/src/main.js'), 'src', 'schemas', 'scripts')) run('build:server');
  if (stale(join(root, 'ui/dist/index.html'), 'ui', 'schemas', 'src/forms')) run('build:ui');
}
