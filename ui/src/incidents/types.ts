export type ExportState = 'not_exported' | 'sending' | 'exported' | 'failed' | 'unknown';

export interface Incident {
  id: string;
  externalId: string | null;
  title: string;
  description: string | null;
  severity: string | null;
  status: 'open' | 'closed';
  /** `ncircc`: a message from NCIRCC made into an incident */
  source: 'siem' | 'ncircc';
  detectedAt: string;
  closedAt: string | null;
  assets: Array<{ name: string; ip?: string; fqdn?: string }>;
  createdAt: string;
  rucertExport: { state: ExportState; identifier?: string; exportedAt?: string };
}

export interface ExportView {
  state: ExportState;
  exportable: boolean;
  reasons: string[];
  formVersion?: number;
  defaults: Record<string, unknown>;
  data?: Record<string, unknown>;
  rucert?: { uuid: string; identifier: string; createTime: string };
  exportedAt?: string;
  exportedBy?: string;
  lastError?: string | { code?: string; message?: string; [k: string]: unknown };
}

export const EXPORT_STATES: ExportState[] = ['not_exported', 'sending', 'exported', 'failed', 'unknown'];
