import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { commemorationConfig } from './commemoration.config';
import { databaseConfig } from './database.config';
import { mailConfig } from './mail.config';
import { schedulerConfig } from './scheduler.config';

export const allConfigs = [appConfig, authConfig, commemorationConfig, databaseConfig, mailConfig, schedulerConfig];
export { appConfig, authConfig, commemorationConfig, databaseConfig, mailConfig, schedulerConfig };
