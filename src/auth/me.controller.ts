import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from './auth.decorators';
import { ApiResponseBody } from '../common/api-response';
import type { Me } from '../generated/api/responses';

/** Who the bearer token belongs to: the UI uses it to show each role what it may use. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class MeController {
  @Get('me')
  @ApiOperation({ summary: 'The calling token: id, name and role (never the secret)' })
  @ApiResponseBody('Me')
  me(@CurrentActor() actor: Actor): Me {
    return { id: actor.tokenId, name: actor.name, role: actor.role };
  }
}
