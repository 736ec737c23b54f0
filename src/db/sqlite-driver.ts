// The SQLite driver, with values bound as parameters (bound-parameters.ts).
import { AbstractSqlDriver, BetterSqliteConnection, BetterSqlitePlatform, type Configuration } from '@mikro-orm/better-sqlite';
import { withBoundParameters } from './bound-parameters';

export class ParameterisedSqliteConnection extends withBoundParameters(BetterSqliteConnection, 'sqlite') {}

export class ParameterisedSqliteDriver extends AbstractSqlDriver<ParameterisedSqliteConnection, BetterSqlitePlatform> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), ParameterisedSqliteConnection, ['knex', 'better-sqlite3']);
  }
}
