import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type Actor } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import type { ExportRequest } from '../generated/api/export-request';
import type { ExportResolve } from '../generated/api/export-resolve';
import { ExportService } from './export.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('export')
@ApiBearerAuth()
@Controller('incidents/:id/rucert-export')
@Roles('analyst')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get()
  @ApiOperation({ summary: 'The export state, whether it can be exported now and why not, defaults, and the outcome' })
  @ApiResponseBody('ExportStatus')
  status(@Param('id') id: string) {
    return this.exports.status(id);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'The exact wire payload an export would send; nothing is sent or stored' })
  @ApiBody({ schema: apiSchema('export-request') })
  @ApiResponseBody('ExportPreview')
  preview(@Param('id') id: string, @Body(new AjvPipe('export-request')) body: ExportRequest) {
    return this.exports.preview(id, body);
  }

  @Post()
  @ApiOperation({ summary: 'Export the incident to RuCERT, once' })
  @ApiBody({ schema: apiSchema('export-request') })
  @ApiResponseBody('ExportResult', 201)
  export(@Param('id') id: string, @Body(new AjvPipe('export-request')) body: ExportRequest, @CurrentActor() actor: Actor) {
    return this.exports.export(id, body, actor);
  }

  @Post('reconcile')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Look an unknown export (or a sending one whose call has certainly ended) up in RuCERT now' })
  @ApiResponseBody('ExportStatus')
  async reconcile(@Param('id') id: string, @CurrentActor() actor: Actor) {
    await this.exports.reconcile(id, actor);
    return this.exports.status(id);
  }

  @Post('resolve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Settle an unknown export by hand' })
  @ApiBody({ schema: apiSchema('export-resolve') })
  @ApiResponseBody('ExportStatus')
  async resolve(@Param('id') id: string, @Body(new AjvPipe('export-resolve')) body: ExportResolve, @CurrentActor() actor: Actor) {
    await this.exports.resolve(id, body, actor);
    return this.exports.status(id);
  }
}
