import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** The installed license key (one row). Its state is evaluated from the key at every use, never stored. */
@Entity({ tableName: 'license' })
export class License {
  [OptionalProps]?: 'id' | 'installedAt';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'datetime' })
  installedAt: Date = new Date();

  @Property({ type: 'string', length: 200 })
  installedBy!: string;
}
