import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { commemorationConfig } from './commemoration.config';
import { databaseConfig } from './database.config';

describe('config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should name the variable when a value is wrong', () => {
    process.env.PORT = 'eighty';
    expect(() => appConfig()).toThrow(/PORT/);
  });

  it('should refuse a DATABASE_URL that is not a PostgreSQL connection string', () => {
    process.env.DATABASE_URL = 'mysql://localhost/db';
    expect(() => databaseConfig()).toThrow(/DATABASE_URL/);
  });

  it('should require JWT_SECRET when an external database is used', () => {
    process.env.DATABASE_URL = 'postgres://localhost/db';
    delete process.env.JWT_SECRET;
    expect(() => authConfig()).toThrow(/JWT_SECRET is required/);
  });

  it('should default to 26 February in Asia/Baku and accept another date and zone', () => {
    delete process.env.COMMEMORATION_DATE;
    delete process.env.DEFAULT_TIME_ZONE;
    expect(commemorationConfig()).toMatchObject({ month: 2, day: 26, defaultTimeZone: 'Asia/Baku' });
    process.env.COMMEMORATION_DATE = '11-11';
    process.env.DEFAULT_TIME_ZONE = 'Europe/Paris';
    expect(commemorationConfig()).toMatchObject({ month: 11, day: 11, defaultTimeZone: 'Europe/Paris' });
  });

  it('should refuse an unknown time zone and an impossible date', () => {
    process.env.DEFAULT_TIME_ZONE = 'Mars/Olympus';
    expect(() => commemorationConfig()).toThrow(/DEFAULT_TIME_ZONE/);
    process.env.DEFAULT_TIME_ZONE = 'Asia/Baku';
    process.env.COMMEMORATION_DATE = '02-31';
    expect(() => commemorationConfig()).toThrow(/COMMEMORATION_DATE/);
  });

  it('should default PUBLIC_BASE_URL to the port and strip a trailing slash', () => {
    process.env.PORT = '4000';
    delete process.env.PUBLIC_BASE_URL;
    expect(appConfig().publicBaseUrl).toBe('http://localhost:4000');
    process.env.PUBLIC_BASE_URL = 'https://remember.example.org/';
    expect(appConfig().publicBaseUrl).toBe('https://remember.example.org');
  });
});
