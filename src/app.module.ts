import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CeremoniesModule } from './ceremonies/ceremonies.module';
import { CommonModule } from './common/common.module';
import { loggerParams } from './common/logging';
import { RateLimitGuard } from './common/rate-limit';
import { RateLimitModule } from './common/rate-limit.module';
import { allConfigs, appConfig } from './config';
import type { AppConfig } from './config/app.config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { MailingsModule } from './mailings/mailings.module';
import { ConsoleModule } from './console/console.module';
import { PagesModule } from './pages/pages.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { RemindersModule } from './reminders/reminders.module';
import { UsersModule } from './users/users.module';
import { VisitsModule } from './visits/visits.module';
import { VolunteersModule } from './volunteers/volunteers.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    LoggerModule.forRootAsync({ inject: [appConfig.KEY], useFactory: (app: AppConfig) => loggerParams(app) }),
    ScheduleModule.forRoot(),
    CommonModule,
    DatabaseModule,
    RateLimitModule,
    AuditModule,
    JobsModule,
    MailModule,
    UsersModule,
    AuthModule,
    HealthModule,
    MetricsModule,
    CeremoniesModule,
    VisitsModule,
    VolunteersModule,
    MailingsModule,
    SubscriptionsModule,
    RemindersModule,
    AdminModule,
    PagesModule,
    ConsoleModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class AppModule {}
