import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/** Runs a multi-step use case in one transaction; repositories take the manager it passes. */
@Injectable()
export class TransactionService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Without `isolation` the transaction runs at PostgreSQL's default, READ COMMITTED. Naming a
   * level costs a second round trip (TypeORM sends SET TRANSACTION after START TRANSACTION), so
   * pass one only when it differs from the default.
   */
  run<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    return isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work);
  }
}
