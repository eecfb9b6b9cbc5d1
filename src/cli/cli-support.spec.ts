import { BadRequestException, ConflictException, InternalServerErrorException } from '@nestjs/common';
import { CreateUserDto } from '../users/dto/user.dto';
import { clientErrorMessages, parseEditionRef, validateDto } from './cli-support';
import { parseYesNo, renameFields } from './commands/import-volunteers.command';

describe('CLI support', () => {
  it('should name an edition by year or by id and refuse anything else', () => {
    expect(parseEditionRef(' 2027 ')).toEqual({ year: 2027 });
    expect(parseEditionRef('5EF07409-70D1-4E69-9E11-9C908A5DDD8F')).toEqual({
      id: '5ef07409-70d1-4e69-9e11-9c908a5ddd8f',
    });
    expect(parseEditionRef('27')).toBeNull();
    expect(parseEditionRef('last-year')).toBeNull();
  });

  it('should validate with the API rules, trimming and refusing unknown fields', async () => {
    const sut = await validateDto(CreateUserDto, {
      email: '  a@example.org ',
      name: 'A',
      role: 'organizer',
      password: 'long-enough-password',
      extra: 1,
    });
    expect(sut.value.email).toBe('a@example.org');
    expect(sut.errors).toEqual(['property extra should not exist']);
  });

  it('should give the messages of a client error and nothing for a server error', () => {
    expect(clientErrorMessages(new BadRequestException(['roleIds: overlap', 'name: empty']))).toEqual([
      'roleIds: overlap',
      'name: empty',
    ]);
    expect(clientErrorMessages(new ConflictException('already signed up'))).toEqual(['already signed up']);
    expect(clientErrorMessages(new InternalServerErrorException('boom'))).toBeNull();
    expect(clientErrorMessages(new Error('boom'))).toBeNull();
  });

  it('should read yes/no answers and leave anything else for the validator to refuse', () => {
    expect(['yes', 'Y', 'TRUE', '1'].map(parseYesNo)).toEqual([true, true, true, true]);
    expect(['no', 'n', 'false', '0'].map(parseYesNo)).toEqual([false, false, false, false]);
    expect(parseYesNo('')).toBeUndefined();
    expect(parseYesNo('maybe')).toBe('maybe');
  });

  it('should speak of the CSV columns, not the API fields', () => {
    expect(renameFields('consentReminders must be a boolean value')).toBe('consent_reminders must be a boolean value');
    expect(renameFields('roleIds: The shifts overlap')).toBe('roles: The shifts overlap');
    expect(renameFields('email must be an email')).toBe('email must be an email');
  });
});
