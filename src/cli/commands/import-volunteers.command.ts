import { Command, CommandRunner, Option } from 'nest-commander';
import { CeremoniesRepository } from '../../ceremonies/ceremonies.repository';
import type { Ceremony } from '../../ceremonies/ceremony.entity';
import { SignUpVolunteerDto } from '../../volunteers/dto/volunteer.dto';
import { VolunteerRolesRepository } from '../../volunteers/volunteer-roles.repository';
import { VolunteerRosterService } from '../../volunteers/volunteer-roster.service';
import { CliOutput } from '../cli-output';
import { CLI_ACTOR, clientErrorMessages, parseEditionRef, validateDto } from '../cli-support';
import { CsvRow, ImportReport, readCsvRows, UnusableFileError } from '../csv-import';

interface ImportVolunteersOptions {
  ceremony: string;
  report?: string;
}

export const VOLUNTEER_COLUMNS = {
  required: ['name', 'email', 'roles', 'consent_reminders'],
  optional: ['phone', 'languages', 'locale', 'note'],
} as const;

/** The API's field names as the file's column names, so a reason names the column to fix. */
const COLUMN_OF: Record<string, string> = {
  roleIds: 'roles',
  consentReminders: 'consent_reminders',
  ceremonyId: 'ceremony',
};

const YES = ['yes', 'y', 'true', '1'];
const NO = ['no', 'n', 'false', '0'];

export function parseYesNo(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  if (YES.includes(lower)) return true;
  if (NO.includes(lower)) return false;
  return value; // left as text: the DTO refuses it with the API's message
}

const list = (value: string | undefined) =>
  value
    ?.split(/[;,|\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);

export function renameFields(message: string): string {
  const field = /^\w+/.exec(message)?.[0] ?? '';
  return COLUMN_OF[field] ? `${COLUMN_OF[field]}${message.slice(field.length)}` : message;
}

@Command({
  name: 'import:volunteers',
  arguments: '<file>',
  description:
    'Import volunteers from a CSV file into an edition; they are confirmed at once and mailed their private link',
})
export class ImportVolunteersCommand extends CommandRunner {
  constructor(
    private readonly ceremonies: CeremoniesRepository,
    private readonly roles: VolunteerRolesRepository,
    private readonly volunteers: VolunteerRosterService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[], options: ImportVolunteersOptions): Promise<void> {
    const ceremony = await this.findEdition(options.ceremony);
    if (!ceremony) return this.output.fail(`No edition matches "${options.ceremony}" (give its id or its year)`);
    let rows: CsvRow[];
    try {
      rows = await readCsvRows(file, VOLUNTEER_COLUMNS);
    } catch (error) {
      if (error instanceof UnusableFileError) return this.output.fail(error.message);
      throw error;
    }
    const roles = await this.roles.listForEdition(ceremony.id);
    const roleByName = new Map(
      roles.flatMap((role) => [
        [role.name.toLowerCase(), role.id],
        [role.id, role.id],
      ]),
    );

    const report = new ImportReport(rows.length);
    let waitlisted = 0;
    // One row, one transaction: a refused row never keeps the others out.
    for (const row of rows) {
      const { values } = row;
      if (row.shapeError) {
        report.reject(row, values.email, [`the row ${row.shapeError}`]);
        continue;
      }
      // Roles are named in the file (or given by id), separated by ; or |; the API takes ids.
      const named = (values.roles ?? '')
        .split(/[;|]/)
        .map((name) => name.trim())
        .filter(Boolean);
      const unknownRoles = named.filter((name) => !roleByName.has(name.toLowerCase()));
      const { value, errors } = await validateDto(SignUpVolunteerDto, {
        ceremonyId: ceremony.id,
        name: values.name || undefined,
        email: values.email || undefined,
        phone: values.phone || undefined,
        languages: list(values.languages),
        locale: values.locale || undefined,
        note: values.note || undefined,
        consentReminders: parseYesNo(values.consent_reminders),
        // An unknown name stands in as a well-formed id, so the DTO checks only the list's shape;
        // the row is refused below with a reason that names the unknown role.
        roleIds: named.map((name) => roleByName.get(name.toLowerCase()) ?? '00000000-0000-0000-0000-000000000000'),
      });
      const reasons = errors.map(renameFields);
      if (unknownRoles.length > 0)
        reasons.push(`roles: no role named ${unknownRoles.map((name) => `"${name}"`).join(', ')} in this edition`);
      if (reasons.length > 0) {
        report.reject(row, values.email, [...new Set(reasons)]);
        continue;
      }
      try {
        const volunteer = await this.volunteers.addConfirmedByStaff(CLI_ACTOR, value);
        report.imported++;
        if (volunteer.roles.some((role) => role.state === 'waitlisted')) waitlisted++;
      } catch (error) {
        const messages = clientErrorMessages(error);
        if (!messages) throw error;
        report.reject(row, values.email, messages.map(renameFields));
      }
    }

    report.print(this.output, 'volunteers');
    if (waitlisted > 0)
      this.output.line(`${waitlisted} imported volunteer(s) are on a waiting list for at least one full role.`);
    if (options.report) {
      await report.write(options.report);
      this.output.line(`Rejected rows written to ${options.report}.`);
    }
  }

  private async findEdition(reference: string): Promise<Ceremony | null> {
    const parsed = parseEditionRef(reference);
    if (!parsed) return null;
    return 'year' in parsed ? this.ceremonies.findByYear(parsed.year) : this.ceremonies.findById(parsed.id);
  }

  @Option({ flags: '--ceremony <idOrYear>', description: 'The edition: its id or its year', required: true })
  parseCeremony(value: string): string {
    return value;
  }

  @Option({
    flags: '--report <file>',
    description: 'Also write the rejected rows (line, email, reasons) to this CSV file',
  })
  parseReport(value: string): string {
    return value;
  }
}
