// Synchronisation with NCIRCC (docs/ncircc.md): reads what changed on NCIRCC's side and records it here.
//   cards    — our notifications by the `updated` watermark: status (with its history), registration number;
//   messages — NCIRCC's own cards (with `inboundEnabled`), each imported once as an incident;
//   comments — by `create_time`: NCIRCC's become the chat, ours that were sent but not confirmed are settled.
// One instance at a time runs a pass (a lease in the database); a pass reads page by page with a keyset on its
// watermark, so memory is bounded by a page and a card changed while it runs is read again, never skipped. Runs at
// start-up, every `syncIntervalMs`, and on demand; a failed pass is logged and retried sooner, with backoff.
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import cardWire from '../../schemas/rucert/card-wire.json';
import { AuditEntry } from '../audit/audit-entry.entity';
import { auditRow, SYSTEM_ACTOR } from '../audit/audit.service';
import { INSTANCE_ID } from '../common/instance';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEFAULT_SYNC_INTERVAL_MS, IntegrationService } from '../integration/integration.service';
import { Notification, type NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { referenceName, type RucertClient, type RucertFilterCondition, type RucertRecord } from '../rucert/rucert-client';
import { CardsService } from './cards.service';
import { CommentsService } from './comments.service';
import { MessagesService } from './messages.service';
import { NcirccCard, NcirccCardStatus } from './ncircc-card.entity';
import { SyncStateRepository, type Watermark } from './sync-state.repository';
import type { SyncResult } from '../generated/api/responses';

export type { SyncResult };

const PAGE = 500;
const MAX_PAGES = 10_000;
const LEASE_MS = 120_000;
const FIRST_RETRY_MS = 15_000;
const LEASE_WAIT_MS = 30_000;
const HOUR = 3_600_000;

@Injectable()
export class SyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private readonly owner = INSTANCE_ID;
  private readonly state: SyncStateRepository;
  private timer?: NodeJS.Timeout;
  private running?: Promise<SyncResult>;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly integration: IntegrationService,
    private readonly cards: CardsService,
    private readonly comments: CommentsService,
    private readonly messages: MessagesService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.state = new SyncStateRepository(em);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass now (the admin's "sync" button): waits for another instance's pass to end first. */
  async now(): Promise<SyncResult> {
    const deadline = Date.now() + LEASE_WAIT_MS;
    for (;;) {
      const result = await this.trigger();
      if (result || Date.now() > deadline) return result ?? zero();
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Starts a pass unless one runs here; resolves undefined when another instance holds the lease. Never throws. */
  trigger(): Promise<SyncResult | undefined> {
    this.running ??= this.pass().finally(() => (this.running = undefined)) as Promise<SyncResult>;
    return this.running.then(
      (r) => r,
      () => zero(),
    );
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let failures = 0;
    try {
      await this.trigger();
      failures = (await this.state.read()).failures;
    } catch {
      failures = 1;
    }
    const interval = this.config.syncIntervalMs ?? (await this.integration.get().catch(() => undefined))?.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.schedule(failures > 0 ? Math.min(interval, FIRST_RETRY_MS * 2 ** (failures - 1)) : interval);
  }

  private async pass(): Promise<SyncResult | undefined> {
    const client = await this.integration.client();
    if (!client) return zero();
    if (!(await this.state.acquire(this.owner, new Date(Date.now() + LEASE_MS)))) return undefined;
    const result = zero();
    let error: string | null = null;
    try {
      const settings = await this.integration.get();
      await this.cards.ensureMissing();
      await this.readCards(client, result);
      if (settings.inboundEnabled) await this.readMessages(client, result);
      const commentsFrom = (await this.state.read()).commentsWatermark ?? undefined;
      result.comments += await this.comments.sync(client, commentsFrom, (mark) => this.keep('commentsWatermark', mark));
      await this.notifyDeadlines();
    } catch (err) {
      error = (err as Error).message;
      this.logger.warn(`synchronisation with NCIRCC failed, retried later: ${error}`);
    } finally {
      await this.state.finished(this.owner, error);
      await this.state.release(this.owner);
    }
    return result;
  }

  /** Records a watermark and extends the lease; a pass that lost its lease stops. */
  private async keep(mark: Watermark, value: string): Promise<void> {
    if (!(await this.state.advance(this.owner, mark, value)) || !(await this.state.renew(this.owner, new Date(Date.now() + LEASE_MS)))) {
      throw new Error('the synchronisation lease was lost');
    }
  }

  private async readCards(client: RucertClient, result: SyncResult): Promise<void> {
    const notMessages: RucertFilterCondition = { property: 'category', operator: '!=', value: cardWire.message.category };
    await this.readByWatermark(client, 'cardsWatermark', cardWire.cardFields, [notMessages], async (records) => {
      const changes = await this.applyToCards(records);
      result.cards += changes.cards;
      result.statusChanges += changes.statusChanges;
    });
  }

  private async readMessages(client: RucertClient, result: SyncResult): Promise<void> {
    const messages: RucertFilterCondition = { property: 'category', operator: '=', value: cardWire.message.category };
    const fields = [...cardWire.message.fields, ...Object.keys(cardWire.message.technicalFields)];
    await this.readByWatermark(client, 'messagesWatermark', fields, [messages], async (records) => {
      const changes = await this.applyToCards(records);
      result.cards += changes.cards;
      result.statusChanges += changes.statusChanges;
      const known = new Set(changes.known);
      result.messages += await this.messages.import(records.filter((r) => !known.has(r.uuid)));
    });
  }

  /**
   * Reads the cards updated since the watermark, oldest first, a page at a time. The next page starts at the last
   * `updated` seen rather than at an offset: a card updated meanwhile moves to the end and is read again there,
   * instead of shifting the pages and hiding its neighbour.
   */
  private async readByWatermark(
    client: RucertClient,
    mark: Watermark,
    fields: readonly string[],
    filter: RucertFilterCondition[],
    apply: (records: RucertRecord[]) => Promise<void>,
  ): Promise<void> {
    let watermark = (await this.state.read())[mark] ?? undefined;
    let seenAtMark = new Set<string>();
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.findIncidents({
        fields,
        filter: watermark ? [...filter, { property: 'updated', operator: '>=', value: watermark }] : filter,
        sort: [{ property: 'updated', direction: 'ASC' }],
        limit: PAGE,
        offset,
      });
      await apply(answer.result.filter((r) => !(r.updated === watermark && seenAtMark.has(r.uuid))));
      const last = answer.result.at(-1)?.updated;
      if (typeof last === 'string') {
        if (last === watermark) offset += answer.result.length;
        else {
          watermark = last;
          seenAtMark = new Set();
          offset = 0;
        }
        for (const r of answer.result) if (r.updated === watermark) seenAtMark.add(r.uuid);
        await this.keep(mark, watermark);
      }
      if (!answer.next || answer.result.length === 0) return;
    }
  }

  /**
   * Applies what NCIRCC says of the cards we have; one transaction a page. The cards are read once and their new
   * state computed here; the page is written as one update per card (a fixed statement) and one multi-row insert
   * each for the status history, the audit lines and the notifications: the unit of work's change sets and
   * hydration were most of a pass (2,000 cards in 4.2 s under load; bench/README.md, bench 5).
   */
  private async applyToCards(records: RucertRecord[]): Promise<{ cards: number; statusChanges: number; known: string[] }> {
    if (records.length === 0) return { cards: 0, statusChanges: 0, known: [] };
    const em = this.em.fork();
    // read only: this fork is never flushed, its entities are the state the page is computed on
    const cards = await em.find(NcirccCard, { uuid: { $in: records.map((r) => r.uuid) } });
    const byUuid = new Map(cards.map((c) => [c.uuid, c]));
    const writes: PageWrites = { cards: new Map(), statuses: [], audit: [], notifications: [] };
    let statusChanges = 0;
    const now = new Date();
    for (const record of records) {
      const card = byUuid.get(record.uuid);
      if (!card) continue;
      if (this.applyToCard(card, record, now, writes)) statusChanges++;
      writes.cards.set(card.id, card);
    }
    await this.em.fork().transactional(async (tx) => {
      await tx.getRepository(NcirccCard).recordSync(tx, [...writes.cards.values()]);
      await tx.insertMany(NcirccCardStatus, writes.statuses);
      await tx.insertMany(AuditEntry, writes.audit);
      await tx.insertMany(Notification, writes.notifications);
    });
    return { cards: cards.length, statusChanges, known: cards.map((c) => c.uuid) };
  }

  /** One card: its status (history, notifications, audit), registration number, identifier. True if the status changed. */
  private applyToCard(card: NcirccCard, record: RucertRecord, now: Date, writes: PageWrites): boolean {
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const audit = (action: string, details: Record<string, unknown>) =>
      writes.audit.push(auditRow({ actor: SYSTEM_ACTOR, action, incidentId: card.incidentId, details }, now));
    const notify = (kind: NotificationKind, details: Record<string, unknown>) =>
      writes.notifications.push({ kind, incidentId: card.incidentId, details, createdAt: now });
    const regNumber = text(record.reg_number);
    if (regNumber && regNumber !== card.regNumber) {
      audit('ncircc.registered', { uuid: card.uuid, regNumber });
      card.regNumber = regNumber;
    }
    card.identifier = text(record.identifier) ?? card.identifier;
    card.type = referenceName(record.type) ?? card.type;
    card.ncirccUpdated = text(record.updated) ?? card.ncirccUpdated;
    card.syncedAt = now;
    card.updatedAt = now;
    const status = record.status;
    if (!status || (status.name === card.statusName && String(status.id ?? '') === (card.statusId ?? ''))) return false;
    const from = card.statusName;
    card.statusName = status.name;
    card.statusId = status.id === undefined ? undefined : String(status.id);
    const at = Date.parse(card.ncirccUpdated ?? '') || now.getTime();
    writes.statuses.push({ card: card.id, statusName: status.name, statusId: card.statusId, at: new Date(at) });
    audit('ncircc.status_changed', { uuid: card.uuid, from, to: status.name });
    notify('status_changed', { from, to: status.name, regNumber: card.regNumber });
    if (card.kind === 'notification' && status.name === cardWire.notificationStatuses.supplementRequested) {
      card.supplementRequests += 1;
      notify('supplement_requested', { n: card.supplementRequests, regNumber: card.regNumber });
    }
    return true;
  }

  /** Once each: a reported leak's deadlines and a message's reaction deadline, two hours before they pass. */
  private async notifyDeadlines(): Promise<void> {
    const now = Date.now();
    const warn = cardWire.deadlineWarningHours * HOUR;
    const em = this.em.fork();
    const recent = new Date(now - (cardWire.leak.investigationHours + 1) * HOUR);
    const candidates = await em.find(NcirccCard, { $or: [{ leakDetectedAt: { $gt: recent } }, { kind: 'message', createdAt: { $gt: recent } }] });
    for (const card of candidates) {
      for (const [which, at] of Object.entries(this.cards.deadlines(card) ?? {})) {
        const due = Date.parse(at as string);
        if (now < due - warn || now >= due) continue;
        await this.notifications.addOnce({
          kind: 'deadline_near',
          incidentId: card.incidentId,
          details: { deadline: which, at },
          onceKey: `deadline:${card.id}:${which}`,
        });
      }
    }
  }
}

/** What one page writes: the cards read (by id, their new state), and the rows to insert. */
interface PageWrites {
  cards: Map<string, NcirccCard>;
  statuses: Array<{ card: string; statusName: string; statusId?: string; at: Date }>;
  audit: Array<ReturnType<typeof auditRow>>;
  notifications: Array<{ kind: NotificationKind; incidentId: string; details: Record<string, unknown>; createdAt: Date }>;
}

function zero(): SyncResult {
  return { cards: 0, statusChanges: 0, comments: 0, messages: 0 };
}
