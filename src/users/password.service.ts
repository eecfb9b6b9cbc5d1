import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP-recommended memory and time cost). */
@Injectable()
export class PasswordService {
  // A real hash of a random string: verifying against it costs the same as a real check,
  // so an unknown email takes as long as a wrong password.
  private readonly dummyHash = hash('not-a-real-password-' + Math.random());

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.dummyHash), password);
    } catch {
      return false;
    }
  }
}
