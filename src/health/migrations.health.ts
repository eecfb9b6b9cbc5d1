import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';

@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly health: HealthRepository,
  ) {}

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      const pending = await this.health.pendingMigrations();
      return pending.length === 0 ? indicator.up() : indicator.down({ pending });
    } catch {
      return indicator.down({ message: 'migrations table not readable' });
    }
  }
}
