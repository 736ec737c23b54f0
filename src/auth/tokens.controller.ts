import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import type { TokenCreate } from '../generated/api/token-create';
import { CurrentActor, Roles, type Actor } from './auth.decorators';
import { TokensService } from './tokens.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API token; the secret is in the answer, once' })
  @ApiBody({ schema: apiSchema('token-create') })
  @ApiResponseBody('TokenCreated', 201)
  create(@Body(new AjvPipe('token-create')) body: TokenCreate, @CurrentActor() actor: Actor) {
    return this.tokens.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens (never their secrets)' })
  @ApiResponseBody('TokenList')
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API token' })
  @ApiResponseBody('TokenView')
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.tokens.revoke(id, actor);
  }
}
