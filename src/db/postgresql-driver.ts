// The PostgreSQL driver, with values bound as parameters (bound-parameters.ts).
import { AbstractSqlDriver, PostgreSqlConnection, PostgreSqlPlatform, type Configuration } from '@mikro-orm/postgresql';
import { withBoundParameters } from './bound-parameters';

export class ParameterisedPostgreSqlConnection extends withBoundParameters(PostgreSqlConnection, 'postgresql') {}

export class ParameterisedPostgreSqlDriver extends AbstractSqlDriver<ParameterisedPostgreSqlConnection, PostgreSqlPlatform> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), ParameterisedPostgreSqlConnection, ['knex', 'pg']);
  }
}
