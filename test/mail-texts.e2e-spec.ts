import { DataSource } from 'typeorm';
import { ReminderTemplatesHtml1795871000000 } from '../migrations/1795871000000-ReminderTemplatesHtml';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { createTestDatabase, TestDatabase } from './support/database';

type Content = Record<string, { subject: string; text: string; html?: string }>;

describe('Default reminder templates with an HTML part', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const contents = async () =>
    new Map(
      (
        await db.query<{ key: string; content: Content }>('SELECT key, content FROM reminder_templates ORDER BY key')
      ).map((row) => [row.key, row.content]),
    );
  /** Runs only this migration's down or up, whatever migrations come after it. */
  async function migrate(direction: 'up' | 'down'): Promise<void> {
    const runner = dataSource.createQueryRunner();
    try {
      await new ReminderTemplatesHtml1795871000000()[direction](runner);
    } finally {
      await runner.release();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(typeOrmOptions(db.url)).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('should give every seeded template an HTML part in each language, with the same variables as its text', async () => {
    const templates = await contents();
    expect([...templates.keys()]).toEqual(['reminder-1-day', 'reminder-30-days', 'reminder-7-days']);
    for (const content of templates.values()) {
      for (const locale of ['az', 'en', 'ru']) {
        const { text, html } = content[locale];
        expect(html).toContain(`<html lang="${locale}">`);
        expect(html).toContain('<a href="{{unsubscribeUrl}}">{{unsubscribeUrl}}</a>');
        const variables = (source: string) => [...new Set(source.match(/\{\{\w+\}\}/g))].sort();
        expect(variables(html!)).toEqual(variables(text));
      }
    }
  });

  it('should leave a template an administrator edited as it is, and add or remove the HTML of unchanged ones', async () => {
    const edited: Content = { en: { subject: 'Edited {{ceremonyTitle}}', text: 'Our own words. {{unsubscribeUrl}}' } };
    await db.query('UPDATE reminder_templates SET content = $1 WHERE key = $2', [
      JSON.stringify(edited),
      'reminder-1-day',
    ]);

    await migrate('down');
    let templates = await contents();
    expect(templates.get('reminder-1-day')).toEqual(edited);
    expect(templates.get('reminder-7-days')!.ru.html).toBeUndefined();

    await migrate('up');
    templates = await contents();
    expect(templates.get('reminder-1-day')).toEqual(edited);
    expect(templates.get('reminder-7-days')!.ru.html).toContain('<html lang="ru">');
    expect(templates.get('reminder-30-days')!.az.html).toContain('<html lang="az">');
  });
});
