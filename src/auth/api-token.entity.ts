import { Entity, EntityRepositoryType, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ApiTokenRepository } from './api-token.repository';
import type { Role } from './roles';

/** An API token; only the SHA-256 of the secret is stored, the secret is shown once on creation. */
@Entity({ tableName: 'api_tokens', repository: () => ApiTokenRepository })
export class ApiToken {
  [EntityRepositoryType]?: ApiTokenRepository;
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16 })
  role!: Role;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'string', length: 200, nullable: true })
  createdBy?: string;

  @Index()
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date;
}
