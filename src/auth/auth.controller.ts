import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginLimit } from '../common/rate-limit';
import { AuthUser, CurrentUser, OpenBeforeTwoFactor, Public, Roles } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginRefusedDto, SessionView, TokenResponseDto } from './dto/login.dto';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { ChangePasswordDto } from './dto/password.dto';
import {
  DisableTwoFactorDto,
  EnableTwoFactorDto,
  MeView,
  RecoveryCodesView,
  TwoFactorSetupView,
} from './dto/two-factor.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange staff credentials (and, with two-factor sign-in, a code) for a bearer token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({
    type: LoginRefusedDto,
    description:
      'Invalid email or password (same reply for both and for a deactivated account); after a right password, `code` totp_required or totp_invalid',
  })
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto.email, dto.password, dto.totp);
  }

  @Post('session')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in to the console: the same check as POST /auth/login, the token set as an HttpOnly, SameSite=Strict cookie',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({
    type: LoginRefusedDto,
    description: 'As POST /auth/login: invalid credentials, or `code` totp_required or totp_invalid',
  })
  async startSession(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    const { accessToken, expiresIn } = await this.auth.login(dto.email, dto.password, dto.totp);
    setSessionCookie(request, reply, accessToken, expiresIn);
    return { expiresIn };
  }

  @Post('logout')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: clears the session cookie; every token of the user issued until now is refused from then on',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(user);
    clearSessionCookie(request, reply);
  }

  @Get('me')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @ApiOperation({ summary: 'The staff user behind the token, with the state of two-factor sign-in' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.auth.me(user);
  }

  @Post('password')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your own password; every token issued before (this one too) is refused from then on',
  })
  @ApiNoContentResponse({ description: 'Changed; sign in again' })
  @ApiBadRequestResponse({ description: 'currentPassword wrong, or newPassword too short or too common' })
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }

  @Post('2fa/setup')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @ApiOperation({
    summary: 'Start TOTP two-factor sign-in: a new secret for the authenticator app (pending until enabled)',
  })
  @ApiCreatedResponse({ type: TwoFactorSetupView })
  @ApiConflictResponse({ description: 'Two-factor sign-in is already on' })
  setupTwoFactor(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupView> {
    return this.auth.setupTwoFactor(user);
  }

  @Post('2fa/enable')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn two-factor sign-in on with a current code; answers ten one-time recovery codes' })
  @ApiOkResponse({ type: RecoveryCodesView })
  @ApiBadRequestResponse({ description: 'The code is wrong' })
  @ApiConflictResponse({ description: 'Already on, or no setup pending' })
  enableTwoFactor(@CurrentUser() user: AuthUser, @Body() dto: EnableTwoFactorDto): Promise<RecoveryCodesView> {
    return this.auth.enableTwoFactor(user, dto.totp);
  }

  @Post('2fa/disable')
  @Roles('organizer')
  @OpenBeforeTwoFactor()
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn two-factor sign-in off (password and a code); every token is refused from then on' })
  @ApiNoContentResponse({ description: 'Turned off; sign in again' })
  @ApiBadRequestResponse({ description: 'Wrong password or code' })
  @ApiConflictResponse({ description: 'Two-factor sign-in is not on' })
  disableTwoFactor(@CurrentUser() user: AuthUser, @Body() dto: DisableTwoFactorDto): Promise<void> {
    return this.auth.disableTwoFactor(user, dto.password, dto.totp);
  }
}
