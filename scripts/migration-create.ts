// Writes the next migration for both dialects from the difference between the entities and the schema that the
// existing migrations build. Run: npm run migration:create -- <Name>. Needs the local PostgreSQL (database `test`).
import { MikroORM } from '@mikro-orm/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ormOptions, type Dialect } from '../src/db/mikro-orm.config';
import { MIGRATIONS } from '../src/db/migrations';

async function diffFor(dialect: Dialect): Promise<string[]> {
  const scratch = `rucert_migration_${process.pid}`;
  const database =
    dialect === 'sqlite' ? ({ dialect, path: ':memory:' } as const) : ({ dialect, url: `postgresql://postgres@127.0.0.1:5432/${scratch}` } as const);
  if (dialect === 'postgresql') {
    const admin = await MikroORM.init({ ...ormOptions({ dialect, url: 'postgresql://postgres@127.0.0.1:5432/postgres' }) });
    await admin.em.getConnection().execute(`create database ${scratch}`);
    await admin.close();
  }
  const orm = await MikroORM.init(ormOptions(database));
  try {
    await orm.getMigrator().up();
    const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false });
    return sql
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('--'));
  } finally {
    await orm.close();
    if (dialect === 'postgresql') {
      const admin = await MikroORM.init({ ...ormOptions({ dialect, url: 'postgresql://postgres@127.0.0.1:5432/postgres' }) });
      await admin.em.getConnection().execute(`drop database ${scratch}`);
      await admin.close();
    }
  }
}

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: npm run migration:create -- <PascalCaseName>');
  const seq = String(MIGRATIONS.sqlite.length + 1).padStart(4, '0');
  for (const dialect of ['sqlite', 'postgresql'] as const) {
    const statements = await diffFor(dialect);
    if (!statements.length) {
      console.log(`${dialect}: no changes`);
      continue;
    }
    const className = `Migration${seq}${name}`;
    const body = statements.map((s) => `    this.addSql(${JSON.stringify(s)});`).join('\n');
    const file = join(__dirname, '..', 'src', 'db', 'migrations', dialect, `${seq}-${name}.ts`);
    writeFileSync(
      file,
      `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${className} extends Migration {\n  override async up(): Promise<void> {\n${body}\n  }\n}\n`,
    );
    console.log(`wrote ${file}; add it to src/db/migrations/index.ts`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
