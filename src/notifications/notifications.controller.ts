import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AjvPipe } from '../common/ajv.pipe';
import { toPage } from '../common/paging';
import type { NotificationListQuery } from '../generated/api/notification-list-query';
import { NotificationsService } from './notifications.service';
import { ApiResponseBody } from '../common/api-response';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
@Roles('ingest', 'analyst')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'What needs attention about NCIRCC cards, newest first, with the unread count' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'unread', required: false })
  @ApiResponseBody('NotificationPage')
  list(@Query(new AjvPipe('notification-list-query', 'request.invalid_query')) query: NotificationListQuery) {
    const { limit, offset } = toPage(query);
    return this.notifications.list(limit, offset, query.unread === 'true');
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiResponseBody('NotificationView')
  read(@Param('id') id: string) {
    return this.notifications.markRead(id);
  }
}
