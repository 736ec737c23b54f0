// Every entity of the service, for the ORM configuration shared by the app, the migrations script and tests.
import { AuditEntry } from '../audit/audit-entry.entity';
import { ApiToken } from '../auth/api-token.entity';
import { RucertExport } from '../export/rucert-export.entity';
import { FormVersion } from '../forms/form-version.entity';
import { Incident } from '../incidents/incident.entity';
import { IntegrationSettings } from '../integration/integration-settings.entity';
import { License } from '../license/license.entity';

export const ENTITIES = [ApiToken, Incident, RucertExport, FormVersion, License, IntegrationSettings, AuditEntry];
