// Owns API tokens: creation (the secret is returned once), listing without secrets, revocation, lookup by secret,
// and the bootstrap admin token at first start.
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { lockInTransaction } from '../db/locks';
import { ApiToken } from './api-token.entity';
import { actorLabel, type Actor } from './auth.decorators';
import type { Role } from './roles';
import type { TokenCreated, TokenList, TokenView } from '../generated/api/responses';

export type { TokenView };

const BOOTSTRAP_ID = '00000000-0000-4000-8000-000000000001';

registerMessages({
  'token.last_admin': {
    en: 'This is the last live admin token: create another admin token before revoking it',
    ru: 'Это последний действующий токен администратора: создайте другой токен администратора, прежде чем отзывать этот',
  },
});

export const hashToken = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const newSecret = () => `rcx_${randomBytes(32).toString('base64url')}`;

const view = (t: ApiToken): TokenView => ({
  id: t.id,
  name: t.name,
  role: t.role,
  createdAt: t.createdAt.toISOString(),
  createdBy: t.createdBy ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

@Injectable()
export class TokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Tokens');
  private generated?: string;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: { name: string; role: Role }, by: Actor): Promise<TokenCreated> {
    const secret = newSecret();
    const token = this.em.create(ApiToken, { name: input.name, role: input.role, tokenHash: hashToken(secret), createdBy: actorLabel(by) });
    await this.em.transactional(async (em) => {
      em.persist(token);
      this.audit.record(em, by, 'token.created', { details: { tokenId: token.id, name: token.name, role: token.role } });
    });
    return { ...view(token), token: secret };
  }

  async list(): Promise<TokenList> {
    const tokens = await this.em.find(ApiToken, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return tokens.map(view);
  }

  async revoke(id: string, by: Actor): Promise<TokenView> {
    return this.em.transactional(async (em) => {
      // Two admins revoking each other at once must not both count the other as the one that remains: on
      // PostgreSQL the lock orders them; SQLite runs one write transaction at a time anyway.
      await lockInTransaction(em, 'api-tokens:admin');
      const token = await em.findOne(ApiToken, { id });
      if (!token) throw new ProblemError('not_found', 'token.not_found', { id });
      if (!token.revokedAt) {
        // Without a live admin token nobody could create or revoke tokens again (ADMIN_TOKEN only helps at a restart)
        if (token.role === 'admin' && (await em.count(ApiToken, { role: 'admin', revokedAt: null })) <= 1) {
          throw new ProblemError('conflict', 'token.last_admin');
        }
        token.revokedAt = new Date();
        this.audit.record(em, by, 'token.revoked', { details: { tokenId: token.id, name: token.name, role: token.role } });
      }
      return view(token);
    });
  }

  /** The actor behind a bearer secret, or null for an unknown or revoked one. */
  async authenticate(secret: string): Promise<Actor | null> {
    const row = await this.em.getRepository(ApiToken).findLive(hashToken(secret));
    return row ? { tokenId: row.id, name: row.name, role: row.role } : null;
  }

  /**
   * Make sure an admin can get in: when no live admin token exists (the first start, or an installation whose admin
   * tokens were all revoked, by hand or before revoking the last one was refused), ADMIN_TOKEN is installed, or a
   * token is generated and printed once. The bootstrap token's fixed id makes concurrent starts of several
   * instances agree: one inserts it, or one brings the revoked one back with the new secret; the others change
   * nothing and print nothing.
   */
  /** The admin secret this start generated, once: announceGeneratedAdminToken prints it after the start. */
  takeGeneratedSecret(): string | undefined {
    const secret = this.generated;
    this.generated = undefined;
    return secret;
  }

  async onApplicationBootstrap(): Promise<void> {
    const em = this.em.fork();
    if ((await em.count(ApiToken, { role: 'admin', revokedAt: null })) > 0) return;
    const secret = this.config.adminToken ?? newSecret();
    const fields = { name: 'bootstrap admin', role: 'admin' as const, tokenHash: hashToken(secret), createdAt: new Date(), createdBy: 'bootstrap' };
    let installed: boolean;
    if (await em.count(ApiToken, { id: BOOTSTRAP_ID })) {
      const affected = await em.nativeUpdate(ApiToken, { id: BOOTSTRAP_ID, revokedAt: { $ne: null } }, { ...fields, revokedAt: null });
      installed = affected === 1;
    } else {
      installed = await em.getRepository(ApiToken).insertIfAbsent({ id: BOOTSTRAP_ID, ...fields });
    }
    if (!installed) return;
    if (this.config.adminToken) {
      this.logger.log('installed the admin token from ADMIN_TOKEN');
    } else {
      // shown once, on purpose (the only way to learn the generated secret), by announceGeneratedAdminToken
      this.generated = secret;
    }
  }
}
