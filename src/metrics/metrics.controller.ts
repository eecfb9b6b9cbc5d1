import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (admin token; also served without auth on METRICS_PORT when set)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}
