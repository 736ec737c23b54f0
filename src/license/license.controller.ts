import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type Actor } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import type { LicensePut } from '../generated/api/license-put';
import { LicenseService } from './license.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('license')
@ApiBearerAuth()
@Controller('license')
export class LicenseController {
  constructor(private readonly license: LicenseService) {}

  @Get()
  @ApiOperation({ summary: 'The installed license and its state now' })
  @ApiResponseBody('LicenseView')
  get() {
    return this.license.get();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Install a license key; a bad signature or format is refused and nothing is stored' })
  @ApiBody({ schema: apiSchema('license-put') })
  @ApiResponseBody('LicenseView')
  put(@Body(new AjvPipe('license-put')) body: LicensePut, @CurrentActor() actor: Actor) {
    return this.license.install(body.key, actor);
  }
}
