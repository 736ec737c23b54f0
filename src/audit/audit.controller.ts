import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AjvPipe } from '../common/ajv.pipe';
import { toPage, type PageQuery } from '../common/paging';
import { AuditService } from './audit.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The audit log, newest first' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponseBody('AuditPage')
  list(@Query(new AjvPipe('page-query', 'request.invalid_query')) query: PageQuery) {
    const { limit, offset } = toPage(query);
    return this.audit.list(limit, offset);
  }
}
