import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The Prometheus registry of this process. Features count what they do through the named
 * counters below; HTTP and database pool figures are collected here.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly bookings = new Counter({
    name: 'visit_bookings_total',
    help: 'Visit bookings by outcome (confirmed, waitlisted, cancelled, promoted, checked_in)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly signups = new Counter({
    name: 'signups_total',
    help: 'Sign-ups by kind (volunteer, subscriber) and step (requested, confirmed)',
    labelNames: ['kind', 'step'],
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'mail_deliveries_total',
    help: 'Mailing deliveries by outcome (sent, failed, skipped, retried)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'jobs_total',
    help: 'Background jobs by kind (mail.send, volunteer.sign-up...) and outcome: done, retried, failed, dropped (a mail over MAIL_RECIPIENT_HOURLY_LIMIT)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  readonly reminderRuns = new Counter({
    name: 'reminder_runs_total',
    help: 'Reminder runs recorded by state (fired, missed, skipped)',
    labelNames: ['status'],
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: 'total' }, current.totalCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
