import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { buildOpenApiDocument } from '../rest/openapi';

/**
 * Every REST response the test suite produces is checked against the OpenAPI document: test
 * files wrap their handlers with `conformant`, so a response shape that changes without its
 * schema fails whichever test produced it.
 */
const document = buildOpenApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', true);
ajv.addFormat('email', true);

type Responses = Record<string, { content?: Record<string, { schema: object }> }>;
const operations = Object.entries(
  document.paths as Record<string, Record<string, { responses: Responses }>>,
).map(([template, item]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  item,
}));
const compiled = new Map<object, ValidateFunction>();

/** A schema of the document, compilable on its own: its `#/components/schemas/…` refs resolve. */
export function withComponents(schema: object): object {
  return { ...schema, components: document.components };
}

export async function assertConformant(request: Request, response: Response): Promise<void> {
  const { pathname } = new URL(request.url);
  const operation = operations.find((o) => o.pattern.test(pathname))?.item[request.method.toLowerCase()];
  if (!operation) return; // not a documented route: unknown paths answer the generic 404
  const where = `${request.method} ${pathname} → ${response.status}`;
  const described = operation.responses[String(response.status)];
  if (!described) throw new Error(`OpenAPI: ${where} is not a documented status`);
  const schema = described.content?.['application/json']?.schema;
  if (!schema) return;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(withComponents(schema));
    compiled.set(schema, validate);
  }
  const body = await response.clone().json();
  if (!validate(body)) throw new Error(`OpenAPI: ${where}: ${ajv.errorsText(validate.errors)}`);
}

/** Wraps a `Request -> Response` handler so each answer is checked against the document. */
export function conformant<H extends (request: Request) => Promise<Response>>(handler: H): H {
  return (async (request: Request) => {
    const response = await handler(request.clone());
    await assertConformant(request, response);
    return response;
  }) as H;
}

/** The same for the `route` of `createHttpHandlers`. */
export function conformantRoutes<T extends { route(request: Request): Promise<Response> | undefined }>(
  handlers: T,
): T {
  return {
    ...handlers,
    route(request: Request) {
      const pending = handlers.route(request.clone());
      return pending?.then(async (response) => {
        await assertConformant(request, response);
        return response;
      });
    },
  };
}
