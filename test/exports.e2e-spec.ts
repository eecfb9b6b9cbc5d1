import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { FixedClock } from '../src/common/clock';
import { toCsv } from '../src/common/csv';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';

/** Rows as Python's csv module reads the bytes (utf-8-sig drops a BOM, as a spreadsheet does). */
function pythonRows(body: Buffer): string[][] {
  const script =
    'import csv,io,json,sys\nrows=list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode("utf-8-sig"), newline="")))\nprint(json.dumps(rows))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: body }).toString()) as string[][];
}

/** Rows as csv-parse reads the text (BOM removed). */
function nodeRows(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

const binary = (
  response: { on: (event: string, listener: (chunk?: Buffer) => void) => void },
  callback: (error: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk) => chunks.push(chunk!));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('CSV exports', () => {
  let t: TestApp;
  let ceremony: CeremonyFixture;
  let organizer: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(new Date('2027-01-15T08:00:00Z')) });
    ceremony = await insertCeremony(t.db, { year: 2027 });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  async function download(path: string, query: Record<string, string> = {}): Promise<Buffer> {
    const response = await t.http
      .get(path)
      .query({ format: 'csv', ...query })
      .set(organizer)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    return response.body as Buffer;
  }

  it('should write bookings that two CSV parsers read as the same rows, formulas neutralised, Cyrillic intact, times in the edition zone', async () => {
    const start = new Date('2027-02-26T07:00:00Z');
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(organizer)
      .send({
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        capacity: 20,
      })
      .expect(201);
    const visitors = [
      { name: 'Ann\n=HYPERLINK("http://x")', groupName: '"a","b"', email: 'ann@example.org' },
      { name: 'Ирина Əliyeva\r\nşəhər', groupName: ' +cmd', email: 'irina@example.org' },
      { name: '＝1+1', groupName: '"@SUM(A1)', email: 'wide@example.org' },
      // A lone LF or CR with nothing else that needs quoting: the writer alone left these bare.
      { name: 'Leyla\nAliyeva', groupName: 'Class\r9A', email: 'leyla@example.org' },
    ];
    for (const visitor of visitors)
      await t.http
        .post(`/visit-slots/${slot.body.id as string}/bookings`)
        .send({ ...visitor, partySize: 2 })
        .expect(201);

    const body = await download(`/ceremonies/${ceremony.id}/bookings`);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const fromNode = nodeRows(body.toString('utf8'));
    const fromPython = pythonRows(body);
    expect(fromPython).toEqual(fromNode);
    expect(fromNode).toHaveLength(1 + visitors.length);

    const [header, ...rows] = fromNode;
    const records = rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
    const byEmail = (email: string) => records.find((record) => record.email === email)!;
    expect(byEmail('ann@example.org')).toMatchObject({
      name: 'Ann\n=HYPERLINK("http://x")',
      group_name: '"a","b"',
      party_size: '2',
    });
    expect(byEmail('irina@example.org')).toMatchObject({ name: 'Ирина Əliyeva\r\nşəhər', group_name: "'+cmd" });
    expect(byEmail('wide@example.org')).toMatchObject({ name: "'＝1+1", group_name: '\'"@SUM(A1)' });
    expect(byEmail('leyla@example.org')).toMatchObject({ name: 'Leyla\nAliyeva', group_name: 'Class\r9A' });
    // Asia/Baku is UTC+4: the local time with its offset beside the UTC instant.
    expect(byEmail('ann@example.org')).toMatchObject({
      slot_starts_at: '2027-02-26T11:00:00+04:00',
      slot_starts_at_utc: '2027-02-26T07:00:00.000Z',
      slot_ends_at: '2027-02-26T12:00:00+04:00',
      checked_in_at: '',
      checked_in_at_utc: '',
    });
    const { created_at: createdLocal, created_at_utc: createdUtc } = byEmail('ann@example.org');
    expect(createdLocal).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+04:00$/);
    expect(new Date(createdLocal).getTime()).toBe(new Date(createdUtc).getTime());
  });

  it('should leave the byte order mark out with bom=false and refuse a bom that is not a boolean', async () => {
    const body = await download(`/ceremonies/${ceremony.id}/bookings`, { bom: 'false' });
    expect(body.subarray(0, 2).toString('utf8')).toBe('id');
    expect(pythonRows(body)[0][0]).toBe('id');
    const refused = await t.http
      .get(`/ceremonies/${ceremony.id}/bookings`)
      .query({ format: 'csv', bom: 'maybe' })
      .set(organizer)
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('bom');
  });

  it('should write every list export the same way: type, file name, byte order mark, CRLF rows and neutralised formulas', async () => {
    const admin = await t.auth('admin');
    const formula = '=HYPERLINK("http://x.example")';
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status) VALUES ('csv-same@example.org', $1, 'en', 'pending')`,
      [formula],
    );
    await t.db.query(
      `INSERT INTO suppressions (email, reason, source) VALUES ('csv-same@example.org', 'unsubscribed', $1)`,
      [formula],
    );
    const get = async (path: string, query: Record<string, string>) => {
      const response = await t.http
        .get(path)
        .query({ format: 'csv', ...query })
        .set(admin)
        .buffer(true)
        .parse(binary)
        .expect(200);
      return { headers: response.headers, body: response.body as Buffer };
    };

    for (const [path, filename] of [
      ['/subscribers', 'subscribers.csv'],
      ['/suppressions', 'suppressions.csv'],
    ]) {
      const withBom = await get(path, {});
      const without = await get(path, { bom: 'false' });
      expect(withBom.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(withBom.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
      expect(withBom.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(without.body.subarray(0, 5).toString('utf8')).toBe('email');
      expect(without.body.toString('utf8')).toMatch(/^email,[a-z_,]+\r\n/);
      const row = nodeRows(without.body.toString('utf8')).find((cells) => cells[0] === 'csv-same@example.org');
      expect(row).toContain(`'${formula}`);
      expect(row).not.toContain(formula);
    }
  });

  it('should write the volunteer roster with shifts, sign-up and confirmation times in the edition zone', async () => {
    const admin = await t.auth('admin');
    const role = await t.http
      .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
      .set(admin)
      .send({ name: 'Guide', capacity: 5, shiftStart: '09:00', shiftEnd: '12:30' });
    expect(role.status).toBe(201);
    const [{ id }] = await t.db.query<{ id: string }>(
      `INSERT INTO volunteers (ceremony_id, name, email, status, consent_reminders, created_at, confirmed_at)
       VALUES ($1, E'Rüstəm\\n-1', 'r@example.org', 'confirmed', false, '2027-01-10T06:00:00Z', '2027-01-10T06:30:00Z') RETURNING id`,
      [ceremony.id],
    );
    await t.db.query(`INSERT INTO volunteer_assignments (volunteer_id, role_id, state) VALUES ($1, $2, 'assigned')`, [
      id,
      role.body.id,
    ]);

    for (const bom of ['true', 'false']) {
      const body = await download(`/ceremonies/${ceremony.id}/volunteers`, { bom });
      expect(body[0] === 0xef).toBe(bom === 'true');
      const fromNode = nodeRows(body.toString('utf8'));
      expect(pythonRows(body)).toEqual(fromNode);
      const [header, row] = fromNode;
      expect(fromNode).toHaveLength(2);
      const record = Object.fromEntries(header.map((name, index) => [name, row[index]]));
      expect(record).toMatchObject({
        name: 'Rüstəm\n-1',
        assigned_shifts: '2027-02-26T09:00:00+04:00/2027-02-26T12:30:00+04:00',
        assigned_shifts_utc: '2027-02-26T05:00:00.000Z/2027-02-26T08:30:00.000Z',
        created_at: '2027-01-10T10:00:00+04:00',
        created_at_utc: '2027-01-10T06:00:00.000Z',
        confirmed_at: '2027-01-10T10:30:00+04:00',
      });
    }
  });

  it('should quote a lone LF or CR, keep numbers as numbers and neutralise formula starts after spaces and quotes', () => {
    const sut = toCsv(
      [
        { text: 'a\nb', number: -5 },
        { text: 'c\rd', number: 1.5 },
        { text: "  '-x", number: 0 },
        { text: '\t=1', number: 2 },
        { text: 'plain - text', number: 3 },
      ],
      [
        { header: 'text', value: (row: { text: string; number: number }) => row.text },
        { header: 'number', value: (row: { text: string; number: number }) => row.number },
      ],
    );
    expect(sut).toBe('text,number\r\n"a\nb",-5\r\n"c\rd",1.5\r\n\'  \'-x,0\r\n\'\t=1,2\r\nplain - text,3\r\n');
  });
});
