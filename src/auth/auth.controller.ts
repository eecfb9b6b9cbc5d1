import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { LoginLimit } from '../common/rate-limit';
import { UserView } from '../users/dto/user.dto';
import { AuthUser, CurrentUser, Public, Roles } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, TokenResponseDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange staff credentials for a bearer token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (same reply for both)' })
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto.email, dto.password);
  }

  @Get('me')
  @Roles('organizer')
  @ApiOperation({ summary: 'The staff user behind the token' })
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}
