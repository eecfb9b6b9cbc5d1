import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiConsumes,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicWriteLimit } from '../common/rate-limit';
import { AuthUser, CurrentUser, Public, Roles } from './auth.decorators';
import {
  PasswordResetAcceptedView,
  PasswordResetConfirmDto,
  PasswordResetFormDto,
  PasswordResetRequestDto,
} from './dto/password.dto';
import { PasswordResetService, ResetPageResult } from './password-reset.service';

function sendPage(reply: FastifyReply, page: ResetPageResult): string {
  void reply.status(page.status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store');
  return page.html;
}

/** Password reset by mail: the public request and confirmation, an admin's trigger, and the page the link opens. */
@ApiTags('auth')
@Controller()
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post('auth/password-reset')
  @Public()
  @PublicWriteLimit()
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask for a password-reset link by mail (public); the same reply for every address' })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedView })
  @ApiBadRequestResponse({ description: 'email missing or malformed' })
  request(@Body() dto: PasswordResetRequestDto): Promise<PasswordResetAcceptedView> {
    return this.resets.request(dto.email);
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @PublicWriteLimit()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the emailed token (public, token); every earlier token is refused',
  })
  @ApiNoContentResponse({ description: 'Password set' })
  @ApiBadRequestResponse({ description: 'password too short or too common' })
  @ApiNotFoundResponse({ description: 'Unknown, used or expired token (one reply for all three)' })
  confirm(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    return this.resets.confirm(dto.token, dto.password);
  }

  @Post('users/:id/password-reset')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a staff user a password-reset link (admin)' })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedView })
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The user is deactivated' })
  requestFor(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PasswordResetAcceptedView> {
    return this.resets.requestFor(actor, id);
  }

  @Get('console/password-reset')
  @Public()
  @ApiOperation({
    summary: 'The page the emailed link opens: a form for the new password, typed twice (public, token)',
  })
  @ApiQuery({ name: 'token', required: true })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML form' })
  @ApiNotFoundResponse({ description: 'Unknown, used or expired token' })
  async page(
    @Query('token') token: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return sendPage(reply, await this.resets.formPage(typeof token === 'string' ? token : undefined));
  }

  @Post('console/password-reset')
  @Public()
  @PublicWriteLimit()
  @ApiOperation({ summary: "The reset page's form post: the new password typed twice; answers a page (public, token)" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page: password set' })
  @ApiBadRequestResponse({
    description: 'HTML form again: the passwords differ, or the password is too short or too common',
  })
  @ApiNotFoundResponse({ description: 'HTML page: unknown, used or expired token' })
  async submit(@Body() dto: PasswordResetFormDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.resets.confirmFromForm(dto.token, dto.password, dto.passwordRepeat));
  }
}
