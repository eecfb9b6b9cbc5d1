import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes';

const ERROR_RESPONSE = {
  type: 'object',
  description: 'A 400 (bad input) or 409 (refused by the rules). Codes and their meaning: docs/errors.md',
  required: ['statusCode', 'message', 'error', 'errors'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: {
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'English, for developers and logs',
    },
    error: { type: 'string', example: 'Bad Request' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: {
            type: 'string',
            nullable: true,
            description: 'JSON path of the field (`venue.name`, `roleIds[2]`); null for the request as a whole',
            example: 'name',
          },
          code: { type: 'string', enum: [...ERROR_CODES], example: 'too_long' },
          message: {
            type: 'string',
            description: 'In the language of Accept-Language (az, en, ru; default en)',
            example: 'is too long (at most 200 characters)',
          },
          params: {
            type: 'object',
            additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
            description: 'Values the text names',
            example: { max: 200 },
          },
        },
      },
    },
    fits: {
      type: 'array',
      description: 'party_too_large only: later slots with room for the party',
      items: {
        type: 'object',
        properties: {
          slotId: { type: 'string', format: 'uuid' },
          startsAt: { type: 'string', format: 'date-time' },
          endsAt: { type: 'string', format: 'date-time' },
          remaining: { type: 'integer' },
        },
      },
    },
  },
};

type Responses = Record<string, { description?: string; content?: unknown }>;

/**
 * One ErrorResponse schema for every 400 and 409; every operation that takes input (a body, a
 * path or query parameter) documents its 400.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorResponse: ERROR_RESPONSE as never },
  };
  const content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const responses = operation.responses as Responses;
      const takesInput = Boolean(operation.requestBody) || (operation.parameters ?? []).length > 0;
      if (takesInput && !responses['400'])
        responses['400'] = { description: 'Invalid input (each field named in `errors`)' };
      for (const status of ['400', '409']) if (responses[status]) responses[status] = { ...responses[status], content };
    }
  }
  return document;
}
