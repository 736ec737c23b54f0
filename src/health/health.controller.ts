import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('health')
@Controller('health')
export class HealthController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness: answers without a token' })
  @ApiResponseBody('Health')
  health() {
    return { status: 'ok' };
  }
}
