import { Body, Controller, Get, HttpCode, Param, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Roles, type Actor } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import type { CardStatusChange } from '../generated/api/card-status-change';
import type { CommentCreate } from '../generated/api/comment-create';
import type { SupplementRequest } from '../generated/api/supplement-request';
import { CardsService } from './cards.service';
import { CommentsService } from './comments.service';
import { FilesService } from './files.service';
import { MessagesService } from './messages.service';
import { SupplementService } from './supplement.service';
import { ApiProblemResponse, ApiResponseBody } from '../common/api-response';

/** An incident's NCIRCC card: its status, the supplement NCIRCC asks for, the chat, the files, a message's answer. */
@ApiTags('ncircc')
@ApiBearerAuth()
@Controller('incidents/:id/ncircc')
@Roles('analyst')
export class NcirccController {
  constructor(
    private readonly cards: CardsService,
    private readonly supplements: SupplementService,
    private readonly comments: CommentsService,
    private readonly files: FilesService,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The NCIRCC card: status and its history, registration number, supplement, deadlines' })
  @ApiResponseBody('CardView')
  card(@Param('id') id: string) {
    return this.cards.view(id);
  }

  @Get('supplement')
  @ApiOperation({ summary: "The supplement form: the fields the card's form version lets a supplement change, with what NCIRCC has" })
  @ApiResponseBody('SupplementForm')
  supplementForm(@Param('id') id: string) {
    return this.supplements.form(id);
  }

  @Post('supplement')
  @ApiOperation({ summary: 'Send the supplement NCIRCC asked for, once: only the changed fields' })
  @ApiBody({ schema: apiSchema('supplement-request') })
  @ApiResponseBody('SupplementResult', 201)
  supplement(@Param('id') id: string, @Body(new AjvPipe('supplement-request')) body: SupplementRequest, @CurrentActor() actor: Actor) {
    return this.supplements.send(id, body.data, actor);
  }

  @Get('comments')
  @ApiOperation({ summary: "The chat with NCIRCC: NCIRCC's comments and ours, oldest first" })
  @ApiResponseBody('CommentList')
  listComments(@Param('id') id: string) {
    return this.comments.list(id);
  }

  @Post('comments')
  @ApiOperation({ summary: 'Send a comment to NCIRCC, once' })
  @ApiBody({ schema: apiSchema('comment-create') })
  @ApiResponseBody('CommentView', 201)
  comment(@Param('id') id: string, @Body(new AjvPipe('comment-create')) body: CommentCreate, @CurrentActor() actor: Actor) {
    return this.comments.post(id, body.text, actor);
  }

  @Get('files')
  @ApiOperation({ summary: "The card's files as NCIRCC lists them, with the state of those we attached" })
  @ApiResponseBody('FileList')
  listFiles(@Param('id') id: string) {
    return this.files.list(id);
  }

  @Post('files')
  @ApiOperation({ summary: 'Attach a file (multipart part "file", at most 50 MB), streamed to NCIRCC once' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponseBody('FileView', 201)
  attach(@Param('id') id: string, @Req() req: Request, @CurrentActor() actor: Actor) {
    return this.files.attach(id, req, actor);
  }

  @Get('files/:fileId')
  @ApiOperation({ summary: 'Download one file of the card, streamed from NCIRCC' })
  @ApiOkResponse({ description: 'The file as NCIRCC keeps it', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblemResponse()
  async download(@Param('id') id: string, @Param('fileId') fileId: string) {
    const file = await this.files.download(id, fileId);
    return new StreamableFile(file.stream as NodeJS.ReadableStream & import('node:stream').Readable, {
      type: file.contentType,
      ...(file.length !== undefined ? { length: file.length } : {}),
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    });
  }

  @Post('status')
  @HttpCode(200)
  @ApiOperation({ summary: 'A message from NCIRCC: take it into work, or decide it with a result; sent once' })
  @ApiBody({ schema: apiSchema('card-status-change') })
  @ApiResponseBody('CardStatusResult')
  status(@Param('id') id: string, @Body(new AjvPipe('card-status-change')) body: CardStatusChange, @CurrentActor() actor: Actor) {
    return this.messages.changeStatus(id, body, actor);
  }
}
