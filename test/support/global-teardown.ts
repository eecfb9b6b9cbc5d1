export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __testDatabaseStop?: () => Promise<void> };
  await state.__testDatabaseStop?.();
}
