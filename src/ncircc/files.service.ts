// Owns the files of a card (docs/ncircc.md): attach (sent once to NCIRCC), list and download (read from NCIRCC).
// An upload is spooled to a private temporary file while its size and hashes are taken, so neither the upload nor
// the transfer to NCIRCC holds the file in memory; then it is claimed (the same bytes under the same name are one
// file), streamed to NCIRCC and settled. An unknown outcome is looked up among the card's files by hash and size.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { auditEntry, AuditService } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IntegrationService } from '../integration/integration.service';
import { OutboundService, type PendingOperation } from '../outbound/outbound.service';
import type { RucertClient, RucertFile } from '../rucert/rucert-client';
import { attemptHandle } from './attempt-handle';
import { CardsService } from './cards.service';
import { NcirccCard } from './ncircc-card.entity';
import { NcirccFile } from './ncircc-file.entity';
import type { FileList, FileView } from '../generated/api/responses';

export type { FileView };

/** NCIRCC's bound on one file (personal-account API 1.1.x, docs/ncircc.md). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_FILENAME = 255;

registerMessages({
  'file.too_large': { en: 'The file is larger than {limit} (NCIRCC takes at most that)', ru: 'Файл больше {limit} (НКЦКИ принимает не больше)' },
  'file.missing': { en: 'Send one file as the multipart part "file"', ru: 'Передайте один файл в части multipart «file»' },
  'file.not_multipart': { en: 'Send the file as multipart/form-data', ru: 'Передайте файл как multipart/form-data' },
  'file.duplicate': {
    en: 'This file was already attached to the card ({state}); the same bytes under the same name are sent once',
    ru: 'Этот файл уже приложен к карточке ({state}); одни и те же данные под тем же именем отправляются один раз',
  },
  'file.not_found': { en: 'The card has no file {id}', ru: 'У карточки нет файла {id}' },
  'file.rejected': { en: 'NCIRCC rejected the file: {reason}', ru: 'НКЦКИ отклонил файл: {reason}' },
  'file.unreachable': {
    en: 'NCIRCC could not be reached, the file was not sent: {reason}; it can be sent again',
    ru: 'НКЦКИ недоступен, файл не отправлен: {reason}; его можно отправить снова',
  },
  'file.ambiguous': {
    en: 'NCIRCC may or may not have stored the file ({reason}); it is looked up, not sent again',
    ru: 'Неизвестно, сохранил ли НКЦКИ файл ({reason}); он будет найден поиском, а не отправлен повторно',
  },
});

interface Spooled {
  path: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  sha1: string;
  md5: string;
}

@Injectable()
export class FilesService {
  private readonly spoolDir: string;

  constructor(
    private readonly em: EntityManager,
    private readonly cards: CardsService,
    private readonly integration: IntegrationService,
    private readonly outbound: OutboundService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.spoolDir = join(config.dataDir, 'uploads');
    outbound.register({ action: 'file', entity: NcirccFile, populate: ['card'], handle: (r) => this.handle(r), pending: (r) => this.pending(r) });
  }

  /** NCIRCC's files of the card, with the state of the ones we attached (those not confirmed yet too). */
  async list(incidentId: string): Promise<FileList> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    const ours = await em.find(NcirccFile, { card }, { orderBy: { createdAt: 'asc' } });
    const client = await this.requireClient();
    const theirs = await client.files(card.uuid);
    const items: FileView[] = theirs.map((f) => {
      const mine = ours.find((o) => o.ncirccId === f.id);
      return {
        ...viewOf(f),
        ...(mine ? { attachment: { state: mine.state, sha256: mine.sha256, attachedBy: mine.claimedBy } } : {}),
      };
    });
    for (const o of ours.filter((o) => !o.ncirccId || !theirs.some((f) => f.id === o.ncirccId))) {
      items.push({
        id: o.id,
        filename: o.filename,
        size: Number(o.size),
        type: o.contentType,
        md5: o.md5,
        sha1: o.sha1,
        attachment: { state: o.state, sha256: o.sha256, attachedBy: o.claimedBy },
      });
    }
    return { items };
  }

  /** One file of the card, streamed from NCIRCC. */
  async download(incidentId: string, fileId: string): Promise<{ stream: NodeJS.ReadableStream; filename: string; contentType: string; length?: number }> {
    const card = await this.cards.require(incidentId);
    const client = await this.requireClient();
    const file = (await client.files(card.uuid)).find((f) => f.id === fileId);
    if (!file) throw new ProblemError('not_found', 'file.not_found', { id: fileId });
    const got = await client.downloadFile(fileId, MAX_FILE_BYTES + 1024 * 1024);
    return {
      stream: got.stream,
      filename: file.filename ?? file.name ?? fileId,
      contentType: got.contentType ?? file.type ?? 'application/octet-stream',
      length: got.length,
    };
  }

  /** Reads the multipart upload, then claims, sends and settles the file. */
  async attach(incidentId: string, req: Request, actor: Actor): Promise<FileView> {
    const em = this.em.fork();
    const card = await this.cards.require(incidentId, em);
    const client = await this.requireClient();
    const spooled = await this.spool(req);
    try {
      const row = await this.claim(em, card, spooled, actor);
      const wire = await this.integration.wireSettings();
      await this.outbound.send(
        this.handle(row),
        actor,
        () =>
          client.attachFile(
            card.uuid,
            { open: () => createReadStream(spooled.path), size: spooled.size, filename: spooled.filename, contentType: spooled.contentType },
            wire?.mssp ? wire.companyName : undefined,
          ),
        () => ({ changes: { sentAt: new Date() }, details: { filename: spooled.filename, size: spooled.size, sha256: spooled.sha256 } }),
      );
      // best effort: NCIRCC's answer to an upload does not name the file, its list does
      const listed = (await client.files(card.uuid).catch(() => [] as RucertFile[])).find((f) => matches(f, row));
      if (listed) await em.fork().nativeUpdate(NcirccFile, { id: row.id }, { ncirccId: listed.id });
      return {
        id: listed?.id ?? row.id,
        filename: row.filename,
        size: spooled.size,
        type: row.contentType,
        md5: row.md5,
        sha1: row.sha1,
        attachment: { state: 'sent', sha256: row.sha256, attachedBy: row.claimedBy },
      };
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /** Streams the one `file` part to a private temporary file, hashing it; 413 past NCIRCC's bound, without keeping it. */
  private spool(req: Request): Promise<Spooled> {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return Promise.reject(new ProblemError('validation_failed', 'file.not_multipart'));
    mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 });
    return new Promise<Spooled>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_FILE_BYTES, fields: 10 }, defParamCharset: 'utf8' });
      } catch {
        return reject(new ProblemError('validation_failed', 'file.not_multipart'));
      }
      let written: Promise<Spooled | 'too_large'> | undefined;
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || written) return stream.resume();
        const path = join(this.spoolDir, randomUUID());
        const hashes = { sha256: createHash('sha256'), sha1: createHash('sha1'), md5: createHash('md5') };
        let size = 0;
        let truncated = false;
        stream.on('limit', () => (truncated = true));
        const hashing = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            for (const h of Object.values(hashes)) h.update(chunk);
            done(null, chunk);
          },
        });
        written = pipeline(stream, hashing, createWriteStream(path, { mode: 0o600 })).then(async () => {
          if (truncated) {
            await rm(path, { force: true });
            return 'too_large' as const;
          }
          const filename = (info.filename || 'file').replace(/[\\/\p{Cc}]+/gu, '_').slice(0, MAX_FILENAME);
          return {
            path,
            filename,
            contentType: (info.mimeType || 'application/octet-stream').slice(0, 255),
            size,
            sha256: hashes.sha256.digest('hex'),
            sha1: hashes.sha1.digest('hex'),
            md5: hashes.md5.digest('hex'),
          };
        });
      });
      parser.on('error', () => reject(new ProblemError('validation_failed', 'file.not_multipart')));
      parser.on('close', () => {
        if (!written) return reject(new ProblemError('validation_failed', 'file.missing'));
        written.then(
          (result) => (result === 'too_large' ? reject(new ProblemError('file_too_large', 'file.too_large', { limit: '50 MB' })) : resolve(result)),
          reject,
        );
      });
      req.pipe(parser);
    });
  }

  /** A row for these bytes under this name, or its failed one again with the next attempt; 409 when sent or under way. */
  private async claim(em: EntityManager, card: NcirccCard, file: Spooled, actor: Actor): Promise<NcirccFile> {
    const row = em.create(NcirccFile, {
      card,
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
      sha1: file.sha1,
      md5: file.md5,
      claimedBy: actorLabel(actor),
    });
    try {
      await em.transactional(async (tx) => {
        tx.persist(row);
        tx.persist(
          auditEntry(tx, {
            actor,
            action: 'file.attempted',
            incidentId: card.incidentId,
            details: { filename: file.filename, size: file.size, sha256: file.sha256, attempt: 1 },
          }),
        );
      });
      return row;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
    const earlier = await this.em.fork().findOneOrFail(NcirccFile, { card, sha256: file.sha256, filename: file.filename }, { populate: ['card'] });
    const retried =
      earlier.state === 'failed' &&
      (await this.em.getRepository(NcirccFile).transition({
        where: { id: earlier.id, attempt: earlier.attempt },
        from: ['failed'],
        changes: { state: 'sending', attempt: earlier.attempt + 1, claimedAt: new Date(), claimedBy: actorLabel(actor), lastError: null },
        audit: { actor, action: 'file.attempted', incidentId: card.incidentId, details: { filename: file.filename, attempt: earlier.attempt + 1 } },
      }));
    if (retried) return Object.assign(earlier, { attempt: earlier.attempt + 1, state: 'sending' as const });
    await this.audit.write({ actor, action: 'file.refused', incidentId: card.incidentId, details: { code: 'conflict', filename: file.filename } });
    throw new ProblemError('conflict', 'file.duplicate', { state: earlier.state });
  }

  private async requireClient(): Promise<RucertClient> {
    const client = await this.integration.client();
    if (!client) throw new ProblemError('integration_not_configured', 'integration.not_configured');
    return client;
  }

  private handle(row: NcirccFile) {
    return attemptHandle<NcirccFile>(this.em.getRepository(NcirccFile), 'file', row);
  }

  /** An unknown upload, looked up among the card's files by its SHA-1 (which NCIRCC lists) and size. */
  private pending(row: NcirccFile): PendingOperation {
    return {
      handle: this.handle(row),
      claimedAt: row.claimedAt ?? row.createdAt,
      lookup: async (client: RucertClient) => {
        const listed = (await client.files(row.card.uuid)).find((f) => matches(f, row));
        return listed ? { outcome: 'found', changes: { ncirccId: listed.id, sentAt: new Date() }, details: { ncirccId: listed.id } } : { outcome: 'absent' };
      },
    };
  }
}

function matches(listed: RucertFile, row: NcirccFile): boolean {
  const sameBytes = listed.sha1 ? listed.sha1.toLowerCase() === row.sha1 : listed.md5?.toLowerCase() === row.md5;
  return sameBytes && (listed.size === undefined || listed.size === Number(row.size)) && (listed.filename ?? listed.name) === row.filename;
}

function viewOf(f: RucertFile): FileView {
  return {
    id: f.id,
    filename: f.filename ?? f.name ?? f.id,
    ...(f.name ? { name: f.name } : {}),
    ...(f.size !== undefined ? { size: f.size } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(f.md5 ? { md5: f.md5 } : {}),
    ...(f.sha1 ? { sha1: f.sha1 } : {}),
    ...(f.addDate ? { addedAt: f.addDate } : {}),
  };
}
