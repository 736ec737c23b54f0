// Four projects:
//  - unit: specs beside the code (the UI's pure modules too: they run in node);
//  - e2e: the everyday lane, the real AppModule in-process over HTTP (about 47 s with `npm run test:e2e`, two workers);
//  - resilience: fuzz, scale, timeouts, crash, faults whose lookups wait out a call's bound, and the specs that start
//    the built service as a child process (the demo, the secret leak search, the license key); `*.resilience-spec.ts`
//    and the files named below;
//  - browser: Chromium driving the built UI.
// `npm test` runs them all; `npm run test:e2e` is the quick lane while working.
process.env.TZ = 'UTC'; // dates in messages and fixtures are read in UTC whatever the machine says

const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const common = {
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc] },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};
const RESILIENCE = [
  '<rootDir>/test/hardening/export-fuzz.e2e-spec.ts',
  '<rootDir>/test/hardening/timeouts.e2e-spec.ts',
  '<rootDir>/test/hardening/secret-leak.e2e-spec.ts',
  '<rootDir>/test/hardening/license-key.e2e-spec.ts',
  '<rootDir>/test/scale/**/*.e2e-spec.ts',
  '<rootDir>/test/crash/**/*.e2e-spec.ts',
  '<rootDir>/test/demo.e2e-spec.ts',
  '<rootDir>/test/**/*.resilience-spec.ts',
];
module.exports = {
  // a stall guard, not a speed target: starting an app (migrations, seeding) on a busy two-core machine can take
  // longer than jest's 5 s default; speed is measured by npm run bench
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts', '<rootDir>/ui/src/**/*.spec.ts'],
      // the UI's rjsf imports a few packages published as ES modules only; swc compiles them like our sources
      transformIgnorePatterns: ['/node_modules/(?!(@x0k/json-schema-merge|lodash-es)/)'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/hardening/export-fuzz',
        '/test/hardening/timeouts',
        '/test/hardening/secret-leak',
        '/test/hardening/license-key',
        '/test/scale/',
        '/test/crash/',
        '/test/demo\\.',
      ],
    },
    { ...common, displayName: 'resilience', testMatch: RESILIENCE },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
