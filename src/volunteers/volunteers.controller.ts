import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { csvOrPage } from '../common/csv';
import { LangQueryDto, ReaderLanguages } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import { PublicWriteLimit } from '../common/rate-limit';
import {
  ConfirmedVolunteerView,
  ConfirmVolunteerDto,
  OrganizerUpdateVolunteerDto,
  RosterQueryDto,
  SignUpAcceptedView,
  SignUpVolunteerDto,
  UpdateOwnVolunteeringDto,
  VolunteerExportView,
  VolunteerPage,
  VolunteerView,
} from './dto/volunteer.dto';
import { VolunteerRosterService } from './volunteer-roster.service';
import { VolunteerSelfService } from './volunteer-self-service.service';
import { VolunteerSignUpService } from './volunteer-sign-up.service';

const MANAGE_TOKEN = 'x-manage-token';
const ManageTokenHeader = () =>
  ApiHeader({ name: 'X-Manage-Token', required: true, description: 'The private token from the confirmation link' });

@ApiTags('volunteers')
@Controller()
export class VolunteersController {
  constructor(
    private readonly signUps: VolunteerSignUpService,
    private readonly own: VolunteerSelfService,
    private readonly staff: VolunteerRosterService,
  ) {}

  @Post('volunteers')
  @Public()
  @PublicWriteLimit()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Sign up to volunteer; a confirmation link is mailed (double opt-in). Same reply for new and known addresses',
  })
  @ApiAcceptedResponse({ type: SignUpAcceptedView })
  @ApiBadRequestResponse({ description: 'Invalid field, unknown role, or overlapping shifts (both roles named)' })
  signUp(@Body() dto: SignUpVolunteerDto): Promise<SignUpAcceptedView> {
    return this.signUps.signUp(dto);
  }

  @Post('volunteers/confirm')
  @Public()
  @PublicWriteLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a sign-up: a place in each chosen role with room, else its waitlist. Idempotent' })
  @ApiOkResponse({ type: ConfirmedVolunteerView })
  @ApiNotFoundResponse({ description: 'Unknown, expired or withdrawn token (one reply for all)' })
  confirm(@Body() dto: ConfirmVolunteerDto): Promise<ConfirmedVolunteerView> {
    return this.signUps.confirm(dto.token);
  }

  @Get('volunteers/me')
  @Public()
  @ManageTokenHeader()
  @ApiOperation({ summary: 'Your volunteer sign-up' })
  @ApiOkResponse({ type: VolunteerView })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  getOwn(
    @Headers(MANAGE_TOKEN) token: string,
    @Query() _query: LangQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerView> {
    return this.own.getOwn(token, lang);
  }

  @Patch('volunteers/me')
  @Public()
  @PublicWriteLimit()
  @ManageTokenHeader()
  @ApiOperation({
    summary: 'Change your details or roles; leaving a role passes its place on, joining takes a place or waitlists',
  })
  @ApiOkResponse({ type: VolunteerView })
  @ApiBadRequestResponse({ description: 'Invalid field, unknown role, or overlapping shifts (both roles named)' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  updateOwn(
    @Headers(MANAGE_TOKEN) token: string,
    @Query() _query: LangQueryDto,
    @Body() dto: UpdateOwnVolunteeringDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerView> {
    return this.own.updateOwn(token, dto, lang);
  }

  @Delete('volunteers/me')
  @Public()
  @PublicWriteLimit()
  @ManageTokenHeader()
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw: your places go to the waitlist and your personal data is erased' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'Unknown token' })
  withdrawOwn(@Headers(MANAGE_TOKEN) token: string): Promise<void> {
    return this.own.withdrawOwn(token);
  }

  @Get('volunteers/me/export')
  @Public()
  @ManageTokenHeader()
  @ApiOperation({ summary: 'Everything stored about you (JSON)' })
  @ApiOkResponse({ type: VolunteerExportView })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  exportOwn(@Headers(MANAGE_TOKEN) token: string): Promise<VolunteerExportView> {
    return this.own.exportOwn(token);
  }

  @Get('ceremonies/:id/volunteers')
  @Roles('organizer')
  @ApiOperation({
    summary: 'Roster of an edition with roles and assignment state; ?format=csv for a download (organizer)',
  })
  @ApiOkResponse({ type: VolunteerPage })
  @ApiProduces('application/json', 'text/csv')
  async roster(
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @Query() query: RosterQueryDto,
    @ReaderLanguages() lang: Locale[],
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.staff.roster(ceremonyId, query, lang);
    return csvOrPage(reply, 'volunteers.csv', result, query);
  }

  @Patch('volunteers/:id')
  @Roles('organizer')
  @ApiOperation({ summary: 'Approve a pending sign-up, or assign / move a volunteer between roles (organizer)' })
  @ApiOkResponse({ type: VolunteerView })
  @ApiConflictResponse({ description: 'A target role is full (named)' })
  updateByStaff(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() _query: LangQueryDto,
    @Body() dto: OrganizerUpdateVolunteerDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerView> {
    return this.staff.updateByStaff(actor, id, dto, lang);
  }
}
