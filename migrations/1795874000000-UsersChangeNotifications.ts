import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every update or deletion of a user's row notifies the channel `users` with the user's id (a
 * truncation notifies `*`), at the commit of its transaction and never on rollback. Each instance
 * listens and forgets its cached copy of that user's auth state (src/users/auth-state-cache.ts),
 * so a revoked token is refused on every instance without reading the user on every request.
 */
export class UsersChangeNotifications1795874000000 implements MigrationInterface {
  name = 'UsersChangeNotifications1795874000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION users_notify() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF TG_OP = 'TRUNCATE' THEN PERFORM pg_notify('users', '*');
           ELSE PERFORM pg_notify('users', OLD.id::text);
           END IF;
           RETURN NULL;
         END
       $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "users_notify" AFTER UPDATE OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION users_notify()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "users_notify_truncate" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION users_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "users_notify_truncate" ON "users"`);
    await queryRunner.query(`DROP TRIGGER "users_notify" ON "users"`);
    await queryRunner.query(`DROP FUNCTION users_notify()`);
  }
}
