import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { rmSync } from 'node:fs';
import { ormOptions } from './src/db/mikro-orm.config';
import { insertRow } from './src/db/plain-statements';
import { AuditEntry } from './src/audit/audit-entry.entity';

async function main() {
  for (const path of ['/tmp/zz/tx.db']) {
    rmSync(path, { force: true });
    const orm = await MikroORM.init(ormOptions({ dialect: 'sqlite', path } as never));
    await orm.getMigrator().up();
    const em = orm.em.fork() as unknown as EntityManager;
    const body = (tx: EntityManager) => insertRow(tx, AuditEntry, { at: new Date(), actor: 'a', action: 'x', details: {} } as never);
    const N = 3000;
    for (let round = 0; round < 3; round++) {
      for (const [name, f] of [['tx+insert', () => em.transactional(body)]] as const) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < N; i++) await f();
        const c = process.cpuUsage(c0);
        console.log(process.env.ZZ_NOSYNC ? 'nosync' : 'sync', round, name, ((c.user + c.system) / N).toFixed(1), 'µs CPU', (c.system / N).toFixed(1), 'sys', (Number(process.hrtime.bigint() - t0) / 1e3 / N).toFixed(1), 'µs wall');
      }
    }
    await orm.close();
  }
}
main();
