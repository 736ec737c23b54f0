import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type Actor } from '../auth/auth.decorators';
import { AjvPipe, apiSchema } from '../common/ajv.pipe';
import { ProblemError } from '../common/problem';
import type { FormPublish } from '../generated/api/form-publish';
import { EXPORT_FORM_ID, FormsService } from './forms.service';
import { ApiResponseBody } from '../common/api-response';

const versionNumber = (raw: string) => {
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new ProblemError('not_found', 'form.version_not_found', { formId: EXPORT_FORM_ID, version: raw });
  return Number(raw);
};

@ApiTags('forms')
@ApiBearerAuth()
@Controller('forms/rucert-export')
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Get()
  @ApiOperation({ summary: 'The active version of the export form: schema, UI schema, samples' })
  @ApiResponseBody('FormVersionView')
  async active(@Req() req: Request, @Res() res: Response): Promise<void> {
    // pre-serialized: the bytes res.json would send, without stringifying, encoding and hashing ~50–190 KB per
    // request (Nest would JSON-encode a returned Buffer, hence @Res); express still answers 304 to If-None-Match.
    // A client that accepts gzip (every browser, so the UI) gets the compressed bytes, a sixth to a tenth of the size.
    const json = await this.forms.activeJson();
    const gzip = req.acceptsEncodings('gzip') === 'gzip';
    const { body, etag } = gzip ? json.gzip : json.identity;
    res.vary('Accept-Encoding');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('ETag', etag);
    res.type('application/json; charset=utf-8').send(body);
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every published version (without documents)' })
  @ApiResponseBody('FormVersionList')
  list() {
    return this.forms.list();
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One published version' })
  @ApiResponseBody('FormVersionView')
  get(@Param('version') version: string) {
    return this.forms.get(versionNumber(version));
  }

  @Post('versions')
  @Roles('compliance')
  @ApiOperation({ summary: 'Publish a new version; it becomes active. A definition failing the gate → 400 schema_rejected' })
  @ApiBody({ schema: apiSchema('form-publish') })
  @ApiResponseBody('FormVersionView', 201)
  publish(@Body(new AjvPipe('form-publish')) body: FormPublish, @CurrentActor() actor: Actor) {
    return this.forms.publish(body, actor);
  }

  @Post('versions/:version/activate')
  @HttpCode(200)
  @Roles('compliance')
  @ApiOperation({ summary: 'Make an earlier version active again' })
  @ApiResponseBody('FormVersionView')
  activate(@Param('version') version: string, @CurrentActor() actor: Actor) {
    return this.forms.activate(versionNumber(version), actor);
  }
}
