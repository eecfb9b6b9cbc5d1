import type { FastifyHelmetOptions } from '@fastify/helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { withErrorResponses } from './common/errors/openapi';
import { CodedValidationPipe } from './common/errors/validation-errors';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './common/json-depth';
import { requestId } from './common/logging';
import { securityHeaders } from './common/security-headers';
import { appConfig, AppConfig } from './config/app.config';
import { commemorationConfig } from './config/commemoration.config';

/**
 * Fastify no longer takes a hop count (a number now trusts no hop), so TRUST_PROXY=N is given as the
 * function it used to mean: the last N hops are the proxies in front, the one before them the client.
 */
function trustProxyOption(
  trust: AppConfig['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export function createFastifyAdapter(app: AppConfig = appConfig()): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: app.bodyLimitBytes,
    trustProxy: trustProxyOption(app.trustProxy),
    routerOptions: { maxParamLength: 200 },
    genReqId: requestId,
    requestIdHeader: false,
  });
  // Every reply names its request id, so a user's report can be matched with the log.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // Deeply nested JSON would exhaust the stack in validation (a 500); it is bad input, refused with 400.
  adapter.getInstance().addHook('preValidation', (request, reply, done) => {
    if (request.body !== undefined && jsonDepthExceeds(request.body)) {
      const message = `body is nested deeper than ${MAX_JSON_DEPTH} levels`;
      void reply
        .status(400)
        .send({ statusCode: 400, message, error: 'Bad Request', errors: [{ field: null, code: 'invalid', message }] });
      return;
    }
    done();
  });
  return adapter;
}

const HELMET_OPTIONS: FastifyHelmetOptions = {
  hsts: false,
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
};

/** Two years, subdomains included: what browsers' preload lists expect. */
const HSTS = 'max-age=63072000; includeSubDomains';

/** Everything main.ts and the tests apply to the app alike. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new CodedValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  // Scripts only from files this service serves (the pages' and Swagger UI's), never inline:
  // an injected <script> or event handler does not run. helmet's headers are the same on every
  // reply, so they are worked out once and set by one hook (see securityHeaders).
  const headers = await securityHeaders(HELMET_OPTIONS);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  // HSTS only on a reply that went over https (directly, or X-Forwarded-Proto from a trusted proxy):
  // over plain http the header is meaningless, and a test or LAN deployment would pin browsers to https.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      if (request.protocol === 'https') void reply.header('Strict-Transport-Security', HSTS);
      done(null, payload);
    });
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins });
  app.enableShutdownHooks();

  const name = app.get<{ name: string }>(commemorationConfig.KEY).name;
  const document = withErrorResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('commemoration-api')
        .setDescription(
          `HTTP API for the organizers and the public of ${name}: editions, memorial visits, volunteers, mailings and annual reminders.`,
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
