// The demo edition `seed:demo` creates: realistic in tone and shape, with example.org people.

export const demoEdition = (year: number) => ({
  year,
  title: `Khojaly Remembrance Day ${year}`,
  startTime: '10:00',
  timeZone: 'Asia/Baku',
  venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku', lat: 40.3953, lng: 49.8822 },
  description:
    'On the night of 25 to 26 February 1992 the town of Khojaly was destroyed and 613 of its civilians were killed. ' +
    'Every year on 26 February people come to the Khojaly Genocide Memorial in Baku to lay flowers and remember them.\n\n' +
    'Demo edition created by `npm run cli -- seed:demo`: the bookings and volunteers are sample data.',
  locales: ['az', 'en', 'ru'],
});

export const DEMO_PROGRAM = [
  { startTime: '10:00', endTime: '10:15', title: 'Gathering at the memorial' },
  {
    startTime: '10:15',
    endTime: '10:30',
    title: 'Laying of wreaths',
    description: 'Wreaths are laid by representatives of state bodies, the Khojaly community and civil society.',
  },
  {
    startTime: '10:30',
    endTime: '10:31',
    title: 'Minute of silence',
    description: 'In memory of the victims of the Khojaly genocide.',
  },
  {
    startTime: '10:35',
    endTime: '10:50',
    title: 'Words of remembrance',
    speaker: 'A representative of the Khojaly community',
  },
  {
    startTime: '11:00',
    endTime: '17:00',
    title: 'Memorial open to visitors',
    description: 'Visitors lay carnations at the memorial. Booking a time slot keeps the queue short.',
  },
];

/** One day of visit slots: every half hour from 11:00, the last one ending at 17:00. */
export const DEMO_SLOTS = { from: '11:00', to: '17:00', everyMinutes: 30, durationMinutes: 30, capacity: 40 };

export const DEMO_ROLES = [
  {
    name: 'Greeters',
    description: 'Welcome visitors at the entrance and show the way to the memorial.',
    capacity: 10,
    shiftStart: '09:00',
    shiftEnd: '12:00',
  },
  {
    name: 'Carnation distribution',
    description: 'Hand out carnations to visitors before they approach the memorial.',
    capacity: 12,
    shiftStart: '09:30',
    shiftEnd: '13:00',
  },
  {
    name: 'Interpreters',
    description: 'Accompany foreign delegations and guests.',
    capacity: 6,
    shiftStart: '10:00',
    shiftEnd: '13:00',
    requiredLanguages: ['en', 'ru'],
  },
  {
    name: 'First aid',
    description: 'Staff the first-aid point beside the entrance.',
    capacity: 4,
    shiftStart: '09:00',
    shiftEnd: '18:00',
  },
  {
    name: 'Queue stewards',
    description: 'Keep the queue calm and orderly in the afternoon.',
    capacity: 8,
    shiftStart: '13:00',
    shiftEnd: '18:00',
  },
];

/** `slot` is the index of the visit slot (0 = 11:00). */
export const DEMO_BOOKINGS = [
  { slot: 0, name: 'Gunel Rzayeva', email: 'gunel.rzayeva@example.org', partySize: 3, locale: 'az' },
  { slot: 0, name: 'Aygun Safarova', email: 'aygun.safarova@example.org', partySize: 4, locale: 'ru' },
  {
    slot: 1,
    name: 'Samir Abbasov',
    email: 'samir.abbasov@example.org',
    partySize: 18,
    groupName: 'School No. 6, class 9A',
    locale: 'az',
  },
  { slot: 2, name: 'Thomas Becker', email: 'thomas.becker@example.org', partySize: 2, locale: 'en' },
];

/** `roles` are names from DEMO_ROLES; each set keeps its shifts apart. */
export const DEMO_VOLUNTEERS = [
  {
    name: 'Leyla Aliyeva',
    email: 'leyla.aliyeva@example.org',
    roles: ['Greeters', 'Queue stewards'],
    languages: ['az', 'en'],
    locale: 'az',
    consentReminders: true,
  },
  {
    name: 'Rashad Huseynov',
    email: 'rashad.huseynov@example.org',
    roles: ['Carnation distribution'],
    languages: ['az', 'ru'],
    locale: 'az',
    consentReminders: true,
  },
  {
    name: 'Nigar Mammadova',
    email: 'nigar.mammadova@example.org',
    roles: ['Interpreters'],
    languages: ['az', 'en', 'ru'],
    locale: 'en',
    consentReminders: true,
  },
  {
    name: 'Elvin Gasimov',
    email: 'elvin.gasimov@example.org',
    roles: ['First aid'],
    languages: ['az'],
    note: 'Trained paramedic',
    locale: 'az',
    consentReminders: false,
  },
  {
    name: 'Sevinj Karimova',
    email: 'sevinj.karimova@example.org',
    roles: ['Queue stewards'],
    languages: ['az', 'ru'],
    locale: 'ru',
    consentReminders: true,
  },
];
