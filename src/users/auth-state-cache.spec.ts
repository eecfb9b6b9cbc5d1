import type { AuthConfig } from '../config/auth.config';
import type { DatabaseNotifications, NotificationSubscriber } from '../database/database-notifications';
import { AuthState, AuthStateCache } from './auth-state-cache';

const STATE: AuthState = {
  id: '6f1c2a34-0000-4000-8000-000000000001',
  email: 'desk@example.org',
  role: 'organizer',
  name: 'Desk',
  active: true,
  tokenVersion: 3,
};

/** A cache with a hand-driven listening connection. */
async function cacheListening(maxAgeMs = 60_000): Promise<{ cache: AuthStateCache; channel: NotificationSubscriber }> {
  let channel: NotificationSubscriber | undefined;
  const notifications = {
    listen: (_name: string, subscriber: NotificationSubscriber) => {
      channel = subscriber;
      return Promise.resolve();
    },
  } as unknown as DatabaseNotifications;
  const cache = new AuthStateCache(notifications, { authCacheMaxAgeMs: maxAgeMs } as AuthConfig);
  await cache.onApplicationBootstrap();
  channel!.connected();
  return { cache, channel: channel! };
}

describe('AuthStateCache', () => {
  it('should keep a state read while nothing changed, and forget it on its notification', async () => {
    const { cache, channel } = await cacheListening();
    cache.put(STATE, cache.ticket());
    expect(cache.get(STATE.id)).toEqual(STATE);
    channel.message(STATE.id);
    expect(cache.get(STATE.id)).toBeUndefined();
  });

  it('should not keep a state whose read overlapped a notification (it may predate the commit)', async () => {
    const { cache, channel } = await cacheListening();
    const ticket = cache.ticket();
    channel.message('another-user');
    cache.put(STATE, ticket);
    expect(cache.get(STATE.id)).toBeUndefined();
  });

  it('should serve nothing while not listening and start empty once listening again', async () => {
    const { cache, channel } = await cacheListening();
    cache.put(STATE, cache.ticket());
    channel.lost();
    expect(cache.get(STATE.id)).toBeUndefined();
    cache.put(STATE, cache.ticket());
    channel.connected();
    expect(cache.get(STATE.id)).toBeUndefined();
  });

  it('should read, not keep, a user this instance wrote, and forget everything on a truncation', async () => {
    const { cache, channel } = await cacheListening();
    cache.forget(STATE.id);
    cache.put(STATE, cache.ticket());
    expect(cache.get(STATE.id)).toBeUndefined();
    const other = { ...STATE, id: '6f1c2a34-0000-4000-8000-000000000002' };
    cache.put(other, cache.ticket());
    channel.message('*');
    expect(cache.get(other.id)).toBeUndefined();
  });

  it('should let an entry live no longer than the maximum age from the start of its read', async () => {
    const { cache } = await cacheListening(20);
    const ticket = cache.ticket();
    await new Promise((resolve) => setTimeout(resolve, 30));
    cache.put(STATE, ticket);
    expect(cache.get(STATE.id)).toBeUndefined();
  });
});
