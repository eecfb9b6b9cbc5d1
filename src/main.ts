import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { appConfig, AppConfig } from './config/app.config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), { bufferLogs: true });
  await configureApp(app);
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, config.host);
  const logger = new NestLogger('Bootstrap');
  logger.log(
    `Listening on http://${config.host}:${config.port}; public links use ${config.publicBaseUrl}; API docs at ${config.publicBaseUrl}/docs`,
  );
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad environment), so this goes straight to stderr.
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
