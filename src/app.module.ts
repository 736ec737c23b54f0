import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ProblemFilter } from './common/problem.filter';
import { StorableTextPipe } from './common/storable-text';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './db/database.module';
import { HealthController } from './health/health.controller';
import { ExportModule } from './export/export.module';
import { FormsModule } from './forms/forms.module';
import { IncidentsModule } from './incidents/incidents.module';
import { IntegrationModule } from './integration/integration.module';
import { LicenseModule } from './license/license.module';
import { NcirccModule } from './ncircc/ncircc.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    AuditModule,
    AuthModule,
    IncidentsModule,
    FormsModule,
    LicenseModule,
    IntegrationModule,
    ExportModule,
    NcirccModule,
    NotificationsModule,
  ],
  controllers: [HealthController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useClass: StorableTextPipe },
  ],
})
export class AppModule {}
