#!/usr/bin/env bash
# npm test: the whole suite. Unit and e2e specs on SQLite, the same e2e specs on the local PostgreSQL, then the
# browser specs in Debian's Chromium. Says clearly what is missing instead of skipping anything.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC

if ! node -e "require('pg');const c=new (require('pg').Client)({connectionString:process.env.TEST_PG_URL||'postgresql://postgres@127.0.0.1:5432/postgres'});c.connect().then(()=>c.end()).catch(()=>process.exit(1))"; then
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  else
    echo "npm test needs PostgreSQL on 127.0.0.1:5432 with trust auth (or TEST_PG_URL); start it and retry" >&2
    exit 1
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "npm test needs Debian's chromium (/usr/bin/chromium): sudo apt-get install chromium" >&2
    exit 1
  fi
fi

npx eslint . --max-warnings 0
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "formatting differs: npm run format" >&2; exit 1; }
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p ui/tsconfig.json
npx tsc --noEmit -p test/browser/tsconfig.json
node scripts/schemas-types.mjs --check
npm run -s openapi -- --check
# built once up front: child-process, demo and browser tests run the compiled service and the built UI
npm run -s build
npx jest --selectProjects unit e2e resilience --ci
TEST_DB=postgresql npx jest --selectProjects e2e resilience --ci
npx jest --selectProjects browser --ci --runInBand
