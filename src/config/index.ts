import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { commemorationConfig } from './commemoration.config';
import { databaseConfig } from './database.config';
import { jobsConfig } from './jobs.config';
import { mailConfig } from './mail.config';
import { retentionConfig } from './retention.config';
import { schedulerConfig } from './scheduler.config';
import { visitsConfig } from './visits.config';

export const allConfigs = [
  appConfig,
  authConfig,
  commemorationConfig,
  databaseConfig,
  jobsConfig,
  mailConfig,
  retentionConfig,
  schedulerConfig,
  visitsConfig,
];
export {
  appConfig,
  authConfig,
  commemorationConfig,
  databaseConfig,
  jobsConfig,
  mailConfig,
  retentionConfig,
  schedulerConfig,
  visitsConfig,
};
