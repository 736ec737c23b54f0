// The one exception filter: every error leaves the service as RFC 9457 problem details with a code from
// docs/api.md, in the request's language, and never with a stack trace.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Problem } from '../generated/api/responses';
import { mapAjvErrors } from '../schema/validator';
import { apiDefinitionValidator } from './ajv.pipe';
import { langOf, message } from './messages';
import { PROBLEM_STATUS, ProblemCode, ProblemError } from './problem';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = this.toProblemError(exception);
    const lang = langOf(req.headers['accept-language']);
    const body: Problem = {
      type: `urn:rucert-export:problem:${problem.code}`,
      title: message(`title.${problem.code}`, lang),
      status: problem.status,
      code: problem.code,
      detail: message(problem.messageKey, lang, problem.params),
    };
    const errors = [
      ...(problem.options.errors ?? []),
      ...(problem.options.fieldErrors ?? []).map((e) => ({ path: e.path, keyword: e.keyword, message: message(e.messageKey, lang, e.params) })),
      ...(problem.options.ajv ? mapAjvErrors(problem.options.ajv.schema, problem.options.ajv.errors, lang) : []),
    ];
    if (errors.length) body.errors = errors.map((e) => ({ ...e }));
    Object.assign(body, problem.options.extensions);
    if (res.headersSent) return;
    if (this.config.checkResponses && !this.followsProblem(body, req))
      return void res.status(500).type('text/plain').send('the problem document does not follow Problem');
    for (const [name, value] of Object.entries(problem.options.headers ?? {})) res.setHeader(name, value);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
  }

  /** CHECK_RESPONSES=on: problem details follow their schema like every other answer. */
  private followsProblem(body: Problem, req: Request): boolean {
    const validate = apiDefinitionValidator('responses', 'Problem');
    if (validate(JSON.parse(JSON.stringify(body)))) return true;
    this.logger.error(`${req.method} ${req.originalUrl}: the problem does not follow Problem: ${JSON.stringify(validate.errors)}`);
    return false;
  }

  private toProblemError(exception: unknown): ProblemError {
    if (exception instanceof ProblemError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return new ProblemError('not_found', 'route.not_found');
      if (status === 401) return new ProblemError('unauthorized', 'auth.missing');
      if (status === 403) return new ProblemError('forbidden', 'auth.role', { roles: '' });
      if (status === 400) return new ProblemError('validation_failed', 'request.invalid_body');
      const code = (Object.keys(PROBLEM_STATUS) as ProblemCode[]).find((c) => PROBLEM_STATUS[c] === status);
      if (code) return new ProblemError(code, `title.${code}`);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new ProblemError('internal_error', 'internal.error');
  }
}
