import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailingsModule } from '../mailings/mailings.module';
import { VolunteersAudienceSource } from './volunteers-audience.source';
import { AuthModule } from '../auth/auth.module';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { VolunteerAssignment } from './volunteer-assignment.entity';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import { VolunteerRole } from './volunteer-role.entity';
import { VolunteerRolesController } from './volunteer-roles.controller';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { VolunteerRolesService } from './volunteer-roles.service';
import { Volunteer } from './volunteer.entity';
import { VolunteersController } from './volunteers.controller';
import { VolunteersRepository } from './volunteers.repository';
import { VolunteerEnrolment } from './volunteer-enrolment.service';
import { VolunteerRosterService } from './volunteer-roster.service';
import { VolunteerSelfService } from './volunteer-self-service.service';
import { VolunteerSignUpService } from './volunteer-sign-up.service';
import { VolunteerUpkeepService } from './volunteer-upkeep.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([VolunteerRole, Volunteer, VolunteerAssignment]),
    CeremoniesModule,
    AuthModule,
    MailingsModule,
  ],
  controllers: [VolunteerRolesController, VolunteersController],
  providers: [
    VolunteersAudienceSource,
    VolunteerRolesRepository,
    VolunteersRepository,
    VolunteerMailer,
    VolunteerPlacement,
    VolunteerRolesService,
    VolunteerEnrolment,
    VolunteerSignUpService,
    VolunteerSelfService,
    VolunteerRosterService,
    VolunteerUpkeepService,
  ],
  exports: [VolunteerRosterService, VolunteerUpkeepService, VolunteerRolesService, VolunteerRolesRepository],
})
export class VolunteersModule {}
