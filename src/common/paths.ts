// Where the repository's files are at run time, whether the code runs from src/ (ts) or dist/src/ (compiled).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${start}`);
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');
