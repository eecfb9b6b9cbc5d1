import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** This instance's name in the claims of every queue (host, process, and a random part for several apps in one process). */
@Injectable()
export class JobsInstance {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
