import { randomBytes } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CreateUserDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { CliOutput } from '../cli-output';
import { CLI_ACTOR, clientErrorMessages, validateDto } from '../cli-support';

interface UserCreateOptions {
  email: string;
  name: string;
  role: string;
  password?: string;
}

@Command({
  name: 'user:create',
  description: 'Create a staff user (admin or organizer); a password is generated and printed when none is given',
})
export class UserCreateCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: UserCreateOptions): Promise<void> {
    const generated = options.password === undefined;
    // 20 characters from 120 random bits: above the API's 10-character minimum by a wide margin.
    const password = options.password ?? randomBytes(15).toString('base64url');
    const { value, errors } = await validateDto(CreateUserDto, {
      email: options.email,
      name: options.name,
      role: options.role,
      password,
    });
    if (errors.length > 0)
      return this.output.fail(`Invalid input:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
    try {
      const user = await this.users.createUser(CLI_ACTOR, value);
      this.output.line(`Created ${user.role} ${user.name} <${user.email}> (id ${user.id}).`);
      if (generated)
        this.output.line(
          `Password: ${password}\nIt is shown only this once; the user can change it with POST /auth/password.`,
        );
    } catch (error) {
      const messages = clientErrorMessages(error);
      if (!messages) throw error;
      this.output.fail(messages.join('; '));
    }
  }

  @Option({ flags: '--email <email>', description: 'Login email', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'Full name', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: 'admin or organizer', required: true })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--password <password>', description: 'At least 10 characters; generated when omitted' })
  parsePassword(value: string): string {
    return value;
  }
}
