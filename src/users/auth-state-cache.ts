import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, AuthConfig } from '../config/auth.config';
import { DatabaseNotifications } from '../database/database-notifications';
import type { User } from './user.entity';

/** What a staff token is checked against: the user's row as far as signing in depends on it. */
export type AuthState = Pick<User, 'id' | 'email' | 'role' | 'name' | 'active' | 'tokenVersion'>;

/** The users table's trigger notifies this channel with the id of every row updated or deleted ('*': truncated). */
export const USERS_CHANNEL = 'users';

/** Taken before a read of a user's state; `put` stores the state it read only if nothing changed meanwhile. */
export interface ReadTicket {
  readonly epoch: number;
  readonly at: number;
}

/**
 * This instance's copy of the staff users' auth states, so a staff request need not read its user.
 * Correct across instances because every change of a user's row notifies every instance
 * (channel `users`, a trigger of the table), which forgets that user; and bounded:
 * - only used while the channel is listened to: while the connection is down (at start, lost,
 *   reconnecting) every request reads, and the copy is emptied when it is lost and when it is back
 *   (what was notified in between never arrived);
 * - an entry lives at most `authCacheMaxAgeMs` from the start of the read that filled it, so even
 *   a notification lost on a connection that looks up cannot keep a stale state longer;
 * - a read that overlapped any change (a notification, a write of this instance, a reconnect)
 *   is not stored, so an answer read before a commit cannot be kept after that commit's notification;
 * - a user this instance wrote (UsersRepository) is read, not cached, for `authCacheMaxAgeMs`
 *   afterwards, so the instance that made a change refuses revoked tokens from its answer on,
 *   without waiting for its own notification (and even when the write's transaction commits later).
 * Time is the monotonic clock, not the app's Clock: the bound is about this process, not the calendar.
 */
@Injectable()
export class AuthStateCache implements OnApplicationBootstrap {
  private readonly entries = new Map<string, { state: AuthState; until: number }>();
  /** Ids written by this instance, and until when they are not cached. */
  private readonly held = new Map<string, number>();
  private epoch = 0;
  private listening = false;
  private readonly maxAgeMs: number;

  constructor(
    private readonly notifications: DatabaseNotifications,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.maxAgeMs = config.authCacheMaxAgeMs;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.maxAgeMs <= 0) return;
    await this.notifications.listen(USERS_CHANNEL, {
      message: (id) => this.changed(id),
      connected: () => {
        this.clear();
        this.listening = true;
      },
      lost: () => {
        this.listening = false;
        this.clear();
      },
    });
  }

  /** Whether states are served from the copy right now (the channel is listened to). */
  get active(): boolean {
    return this.listening;
  }

  /** The cached state, or undefined: then read it (with a `ticket` taken before) and `put` it. */
  get(id: string): AuthState | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until <= performance.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.state;
  }

  ticket(): ReadTicket {
    return { epoch: this.epoch, at: performance.now() };
  }

  put(state: AuthState, ticket: ReadTicket): void {
    if (!this.listening || ticket.epoch !== this.epoch) return;
    const held = this.held.get(state.id);
    if (held !== undefined) {
      if (held > performance.now()) return;
      this.held.delete(state.id);
    }
    this.entries.set(state.id, { state, until: ticket.at + this.maxAgeMs });
  }

  /** This instance is writing the user's row: forget it, and read it for a while rather than cache it. */
  forget(id: string): void {
    this.epoch += 1;
    this.entries.delete(id);
    if (this.maxAgeMs <= 0) return;
    const now = performance.now();
    for (const [heldId, until] of this.held) if (until <= now) this.held.delete(heldId);
    this.held.set(id, now + this.maxAgeMs);
  }

  private changed(id: string): void {
    this.epoch += 1;
    if (id === '*') this.entries.clear();
    else this.entries.delete(id);
  }

  private clear(): void {
    this.epoch += 1;
    this.entries.clear();
  }
}
