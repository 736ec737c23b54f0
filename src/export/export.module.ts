import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { IntegrationModule } from '../integration/integration.module';
import { LicenseModule } from '../license/license.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { ReconcilerService } from './reconciler.service';

@Module({
  imports: [IncidentsModule, LicenseModule, IntegrationModule, FormsModule],
  controllers: [ExportController],
  providers: [ExportService, ReconcilerService],
})
export class ExportModule {}
