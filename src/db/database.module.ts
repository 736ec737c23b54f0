// Owns the database connection and brings the schema up to date at start-up. With PostgreSQL several instances
// may start at once: an advisory lock makes them migrate one after the other.
import { MikroORM } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import type { EntityManager } from '@mikro-orm/knex';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ormOptions } from './mikro-orm.config';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { preparePrivateSqliteFile } from './sqlite-file';

const MIGRATION_LOCK_KEY = 746_175_001; // any constant shared by all instances of this product

@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      // Only tells the module which EntityManager class to register for injection; both of our drivers export the
      // same SqlEntityManager. The driver actually used comes from ormOptions (DATABASE_URL).
      driver: BetterSqliteDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (config.database.dialect === 'sqlite') preparePrivateSqliteFile(config.database.path);
        return ormOptions(config.database);
      },
    }),
  ],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private checkpointer?: SqliteCheckpointer;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs before any module's onApplicationBootstrap that reads data, because Nest initialises imports first. */
  async onModuleInit(): Promise<void> {
    await migrate(this.orm, this.config);
    this.logger.log(`schema up to date (${this.config.database.dialect})`);
    if (this.config.database.dialect === 'sqlite') this.checkpointer = new SqliteCheckpointer(this.config.database.path);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
  }
}

export async function migrate(orm: MikroORM, config: AppConfig): Promise<void> {
  if (config.database.dialect !== 'postgresql') {
    await orm.getMigrator().up();
    return;
  }
  const knex = (orm.em as EntityManager).getKnex();
  await knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    await orm.getMigrator().up();
  });
}
