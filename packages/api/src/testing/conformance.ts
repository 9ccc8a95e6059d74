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
/** Validators by schema text: the many responses that share a schema share its validator. */
const compiled = new Map<string, ValidateFunction>();

/**
 * The document's named schemas, added once: a response schema's `#/components/schemas/…` refs
 * point at them, so each is compiled once for every schema that uses it.
 */
const DOCUMENT_ID = 'urn:otp-access:openapi';
ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });

/** A validator of one schema of the document (its refs resolved against the document's components). */
export function compileDocumentSchema(schema: object): ValidateFunction {
  const text = JSON.stringify(schema);
  let validate = compiled.get(text);
  if (!validate) {
    validate = ajv.compile(JSON.parse(text.replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)));
    compiled.set(text, validate);
  }
  return validate;
}

/** The errors of the last validation, as a sentence. */
export const errorsText = (validate: ValidateFunction) => ajv.errorsText(validate.errors);

export async function assertConformant(request: Request, response: Response): Promise<void> {
  const { pathname } = new URL(request.url);
  const operation = operations.find((o) => o.pattern.test(pathname))?.item[request.method.toLowerCase()];
  if (!operation) return; // not a documented route: unknown paths answer the generic 404
  const where = `${request.method} ${pathname} → ${response.status}`;
  const described = operation.responses[String(response.status)];
  if (!described) throw new Error(`OpenAPI: ${where} is not a documented status`);
  const schema = described.content?.['application/json']?.schema;
  if (!schema) return;
  const validate = compileDocumentSchema(schema);
  const body = await response.clone().json();
  if (!validate(body)) throw new Error(`OpenAPI: ${where}: ${ajv.errorsText(validate.errors)}`);
}

let prepared = false;
/**
 * Compiles every response schema up front, when a test wraps its handlers, so no request a test
 * times pays for a first compilation.
 */
function prepare() {
  if (prepared) return;
  prepared = true;
  for (const { item } of operations)
    for (const operation of Object.values(item))
      for (const response of Object.values(operation.responses)) {
        const schema = response.content?.['application/json']?.schema;
        if (schema) compileDocumentSchema(schema);
      }
}

/** Wraps a `Request -> Response` handler so each answer is checked against the document. */
export function conformant<H extends (request: Request) => Promise<Response>>(handler: H): H {
  prepare();
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
  prepare();
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
