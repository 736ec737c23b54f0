// Response bodies are schemas too. Every route names its answer's definition in schemas/api/responses.schema.json
// with @ApiResponseBody: OpenAPI documents it (as components.schemas), the generated types
// (src/generated/api/responses.ts) type the services and the UI, and with CHECK_RESPONSES=on (development and tests)
// every JSON answer is checked against it, so a service and its schema cannot drift apart unnoticed.
import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, StreamableFile } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiDefaultResponse, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import responses from '../../schemas/api/responses.schema.json';
import { apiDefinitionValidator } from './ajv.pipe';

export type ResponseName = keyof typeof responses.definitions;

const RESPONSE_BODY = 'rucert:response-body';
const ref = (name: ResponseName) => ({ $ref: `#/components/schemas/${name}` });

/** The answer of a route: its status (200 unless told) and the definition its body follows; errors are problems. */
export function ApiResponseBody(name: ResponseName, status = 200) {
  return applyDecorators(SetMetadata(RESPONSE_BODY, name), ApiResponse({ status, schema: ref(name) }), ApiProblemResponse());
}

/** Every other answer of a route: problem details. */
export const ApiProblemResponse = () =>
  ApiDefaultResponse({ description: 'Problem details (docs/api.md, "Errors")', content: { 'application/problem+json': { schema: ref('Problem') } } });

/** The definitions as OpenAPI components: a `#/definitions/X` reference becomes `#/components/schemas/X`. */
export function responseComponents(): Record<string, SchemaObject> {
  return JSON.parse(JSON.stringify(responses.definitions).replaceAll('"#/definitions/', '"#/components/schemas/'));
}

/** CHECK_RESPONSES=on: an answer that does not follow its definition, or a route that names none, is a 500. */
@Injectable()
export class ResponseCheck implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const name = this.reflector.get<ResponseName | undefined>(RESPONSE_BODY, context.getHandler());
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const route = `${req.method} ${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    return next.handle().pipe(
      map((body: unknown) => {
        if (body instanceof StreamableFile) return body;
        // a route that writes its own pre-serialized answer (@Res) has sent it already; its e2e spec checks the bytes
        if (body === undefined && res.headersSent) return body;
        if (!name) throw new Error(`${route} answers without naming its response definition (@ApiResponseBody)`);
        const validate = apiDefinitionValidator('responses', name);
        // checked as the client will read it: dates as strings, undefined members gone
        if (!validate(JSON.parse(JSON.stringify(body)))) {
          throw new Error(`${route}: the answer does not follow ${name}: ${JSON.stringify(validate.errors)}`);
        }
        return body;
      }),
    );
  }
}
