// Every entity of the service, for the ORM configuration shared by the app, the migrations script and tests.
import { AuditEntry } from '../audit/audit-entry.entity';
import { ApiToken } from '../auth/api-token.entity';
import { RucertExport } from '../export/rucert-export.entity';
import { RucertExportDocuments } from '../export/rucert-export-documents.entity';
import { FormVersion } from '../forms/form-version.entity';
import { Incident } from '../incidents/incident.entity';
import { IntegrationSettings } from '../integration/integration-settings.entity';
import { License } from '../license/license.entity';
import { NcirccCard, NcirccCardStatus } from '../ncircc/ncircc-card.entity';
import { NcirccComment } from '../ncircc/ncircc-comment.entity';
import { NcirccFile } from '../ncircc/ncircc-file.entity';
import { NcirccStatusChange } from '../ncircc/ncircc-status-change.entity';
import { NcirccSupplement } from '../ncircc/ncircc-supplement.entity';
import { SyncState } from '../ncircc/sync-state.entity';
import { Notification } from '../notifications/notification.entity';
import { OutboundAttempt } from '../outbound/outbound-attempt.entity';

export const ENTITIES = [
  ApiToken,
  Incident,
  RucertExport,
  RucertExportDocuments,
  FormVersion,
  License,
  IntegrationSettings,
  AuditEntry,
  OutboundAttempt,
  NcirccCard,
  NcirccCardStatus,
  NcirccComment,
  NcirccSupplement,
  NcirccFile,
  NcirccStatusChange,
  SyncState,
  Notification,
];
