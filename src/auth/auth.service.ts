import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { authConfig, AuthConfig } from '../config/auth.config';
import { UsersRepository } from '../users/users.repository';
import { AuthUser } from './auth.decorators';
import { TokenResponseDto } from './dto/login.dto';
import { PasswordService } from './password.service';

interface TokenPayload {
  sub: string;
  role: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** One reply for an unknown email and a wrong password, in the same time. */
  async login(email: string, password: string): Promise<TokenResponseDto> {
    const user = await this.users.findByEmail(email.trim());
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) throw new UnauthorizedException('Invalid email or password');
    const payload: TokenPayload = { sub: user.id, role: user.role };
    return { accessToken: await this.jwt.signAsync(payload), expiresIn: this.config.jwtTtlSeconds };
  }

  /** The staff user behind a bearer token, or null when the token is invalid, expired or the user is gone. */
  async authenticate(token: string): Promise<AuthUser | null> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const user = await this.users.findById(payload.sub);
    return user ? { id: user.id, email: user.email, role: user.role, name: user.name } : null;
  }
}
