// Settles outbound operations whose outcome is not known (docs/once-only.md), for every registered kind: stale
// `sending` claims (their instance died mid-call) become `unknown`, then every `unknown` one is looked up in NCIRCC.
// Nothing is ever re-sent. Runs at start-up, every RECONCILE_INTERVAL_MS and on demand; every write is conditional
// on the attempt it read, so several instances may run it at once.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import type { Actor } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IntegrationService } from '../integration/integration.service';
import { OutboundService, type PendingOperation, type Settled } from './outbound.service';

/** A claim older than the RuCERT timeout plus this margin belongs to a call that has certainly ended. */
export const SENDING_GRACE_MS = 2_000;
const BATCH = 100;

@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly outbound: OutboundService,
    private readonly integration: IntegrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.trigger();
    this.timer = setInterval(() => this.trigger(), this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a pass unless one is running; a pass never throws. */
  trigger(): Promise<void> {
    this.running ??= this.pass()
      .catch((err) => this.logger.warn(`reconciliation pass failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async pass(): Promise<void> {
    const bound = await this.callBound();
    for (const kind of this.outbound.kinds()) {
      for (const stale of await kind.staleSending(new Date(Date.now() - bound), BATCH)) await this.outbound.markLost(stale, SYSTEM_ACTOR);
      for (const pending of await kind.unknown(BATCH)) await this.settle(pending, SYSTEM_ACTOR, bound);
    }
  }

  /** Looks one unknown operation up now (on demand). */
  async settle(pending: PendingOperation, actor: Actor | string, bound?: number): Promise<Settled> {
    const client = await this.integration.client();
    if (!client) return 'unknown';
    return this.outbound.lookUp(pending, client, bound ?? (await this.callBound()), actor);
  }

  /** How long one call to NCIRCC can last, plus a margin: a claim older than this has certainly ended its call. */
  async callBound(): Promise<number> {
    const settings = await this.integration.get();
    return (settings.timeoutMs ?? this.config.rucertTimeoutMs) + SENDING_GRACE_MS;
  }
}
