import { Module } from '@nestjs/common';
import { IntegrationModule } from '../integration/integration.module';
import { OutboundService } from './outbound.service';
import { ReconcilerService } from './reconciler.service';

/** The once-only discipline shared by every operation sent to NCIRCC; features register their kinds. */
@Module({ imports: [IntegrationModule], providers: [OutboundService, ReconcilerService], exports: [OutboundService, ReconcilerService] })
export class OutboundModule {}
