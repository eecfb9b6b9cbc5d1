import {
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { createServer, Server } from 'node:http';
import { appConfig, AppConfig } from '../config/app.config';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsModule.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Labelled by route pattern (not the URL), so ids and tokens never become label values.
    fastify?.addHook('onResponse', (request, reply, done) => {
      this.metrics.observeRequest(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.app.metricsPort) return;
    this.server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.metrics.render().then(
        (body) => response.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(body),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(this.app.metricsPort, this.app.metricsHost, resolve));
    this.logger.log(`Metrics on http://${this.app.metricsHost}:${this.app.metricsPort}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
