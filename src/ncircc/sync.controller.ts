import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { SyncService } from './sync.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('integration')
@ApiBearerAuth()
@Controller('integrations/rucert/sync')
@Roles('admin')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run one synchronisation pass with NCIRCC now: cards, messages, comments' })
  @ApiResponseBody('SyncResult')
  run() {
    return this.sync.now();
  }
}
