import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import { toPage } from '../common/paging';
import type { IncidentCreate } from '../generated/api/incident-create';
import type { IncidentListQuery } from '../generated/api/incident-list-query';
import { IncidentsService } from './incidents.service';
import { ApiResponseBody } from '../common/api-response';
import { EXPORT_STATES } from '../export/rucert-export.entity';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles('ingest')
  @ApiOperation({ summary: 'Register an incident (ingest clients)' })
  @ApiBody({ schema: apiSchema('incident-create') })
  @ApiResponseBody('IncidentView', 201)
  create(@Body(new AjvPipe('incident-create')) body: IncidentCreate) {
    return this.incidents.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List incidents, newest first' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'closed'] })
  @ApiQuery({ name: 'exportState', required: false, enum: EXPORT_STATES })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponseBody('IncidentPage')
  list(@Query(new AjvPipe('incident-list-query', 'request.invalid_query')) query: IncidentListQuery) {
    return this.incidents.list({ status: query.status, exportState: query.exportState, source: query.source, q: query.q, ...toPage(query) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident with the state of its RuCERT export' })
  @ApiResponseBody('IncidentView')
  get(@Param('id') id: string) {
    return this.incidents.get(id);
  }
}
