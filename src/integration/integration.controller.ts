import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type Actor } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import type { RucertSettingsPut } from '../generated/integration/rucert-settings';
import { IntegrationService } from './integration.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('integration')
@ApiBearerAuth()
@Controller('integrations/rucert')
@Roles('admin')
export class IntegrationController {
  constructor(private readonly integration: IntegrationService) {}

  @Get()
  @ApiOperation({ summary: 'The RuCERT integration settings; the token and root CA are never returned (tokenSet, rootCaSet)' })
  @ApiResponseBody('IntegrationView')
  get() {
    return this.integration.get();
  }

  @Put()
  @ApiOperation({ summary: 'Save the settings; an omitted token keeps the stored one' })
  @ApiBody({ schema: apiSchema('integration/rucert-settings') })
  @ApiResponseBody('IntegrationView')
  put(@Body(new AjvPipe('integration/rucert-settings')) body: RucertSettingsPut, @CurrentActor() actor: Actor) {
    return this.integration.put(body, actor);
  }

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask RuCERT with the stored settings whether they work' })
  @ApiResponseBody('IntegrationCheck')
  check() {
    return this.integration.check();
  }
}
