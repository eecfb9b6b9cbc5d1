import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER, JobContext, JobResult, TICK, TickOptions } from './job-handler.decorator';

export type JobHandlerFn = (payload: unknown, job: JobContext) => Promise<JobResult>;
export type TickFn = (now: Date) => Promise<unknown>;

/** Every @JobHandler and @Tick method of the application's providers, found once at start. */
@Injectable()
export class JobHandlers implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandlerFn>();
  private readonly ticks: Array<TickOptions & { run: TickFn }> = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method] as (...args: never[]) => unknown;
        const kind = this.reflector.get<string | undefined>(JOB_HANDLER, fn);
        if (kind) {
          if (this.handlers.has(kind)) throw new Error(`Jobs of kind "${kind}" have two handlers`);
          this.handlers.set(kind, fn.bind(instance) as JobHandlerFn);
        }
        const tick = this.reflector.get<TickOptions | undefined>(TICK, fn);
        if (tick) this.ticks.push({ ...tick, run: fn.bind(instance) as TickFn });
      }
    }
  }

  of(kind: string): JobHandlerFn | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()].sort();
  }

  scheduled(): ReadonlyArray<TickOptions & { run: TickFn }> {
    return this.ticks;
  }
}
