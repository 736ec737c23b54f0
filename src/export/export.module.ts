import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { IntegrationModule } from '../integration/integration.module';
import { LicenseModule } from '../license/license.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { NcirccModule } from '../ncircc/ncircc.module';
import { OutboundModule } from '../outbound/outbound.module';
import { ExportKind } from './export-kind';

@Module({
  imports: [IncidentsModule, LicenseModule, IntegrationModule, FormsModule, OutboundModule, NcirccModule],
  controllers: [ExportController],
  providers: [ExportService, ExportKind],
})
export class ExportModule {}
