// The once-only export's rows: its writes are the transitions of OutboundRepository, and the reconciler's reads of
// stale and unknown attempts are derived from the entity (OutboundService.register).
import { OutboundRepository } from '../outbound/outbound.repository';
import type { RucertExport, ExportState } from './rucert-export.entity';

export const CLAIMABLE: ExportState[] = ['not_exported', 'failed'];

export class RucertExportRepository extends OutboundRepository<RucertExport> {}
