// npm start: builds when needed, then runs the service (configuration from the environment, README.md).
import { join } from 'node:path';
import { ensureBuilt, root } from './ensure-built.mjs';

ensureBuilt();
await import(join(root, 'dist/src/main.js'));
