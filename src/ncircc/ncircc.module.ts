import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { IntegrationModule } from '../integration/integration.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OutboundModule } from '../outbound/outbound.module';
import { CardsService } from './cards.service';
import { CommentsService } from './comments.service';
import { FilesService } from './files.service';
import { MessagesService } from './messages.service';
import { NcirccController } from './ncircc.controller';
import { SupplementService } from './supplement.service';
import { SyncController } from './sync.controller';
import { SyncService } from './sync.service';

/** The NCIRCC card after the export (and the messages NCIRCC sends): synchronisation, supplements, chat, files. */
@Module({
  imports: [IntegrationModule, FormsModule, OutboundModule, NotificationsModule],
  controllers: [NcirccController, SyncController],
  providers: [CardsService, SyncService, SupplementService, CommentsService, FilesService, MessagesService],
  exports: [CardsService],
})
export class NcirccModule {}
