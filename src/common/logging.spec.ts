import { REDACTED, redactError, redactPath, redactTokens } from './logging';

const TOKEN = 'Ab3_-'.repeat(8) + 'xyz';

describe('redactPath', () => {
  it.each([
    [`/bookings/manage/${TOKEN}`, `/bookings/manage/${REDACTED}`],
    [`/bookings/manage/${TOKEN}/export`, `/bookings/manage/${REDACTED}/export`],
    [`/unsubscribe/${TOKEN}?x`, `/unsubscribe/${REDACTED}?x`],
    [`/unsubscribe/${TOKEN}.html`, `/unsubscribe/${REDACTED}.html`],
    [`/unsubscribe/${TOKEN};jsessionid=1`, `/unsubscribe/${REDACTED};jsessionid=1`],
    [`/unsubscribe/${encodeURIComponent(TOKEN).replace(/A/g, '%41')}`, `/unsubscribe/${REDACTED}`],
    [`/subscriptions/confirm?token=${TOKEN}`, `/subscriptions/confirm?token=${REDACTED}`],
    ['/subscriptions/confirm?token=short&lang=az', `/subscriptions/confirm?token=${REDACTED}&lang=az`],
    [
      `/p/visit/manage?lang=ru&manageToken=x&token[]=y`,
      `/p/visit/manage?lang=ru&manageToken=${REDACTED}&token[]=${REDACTED}`,
    ],
    [`/p?ref=${TOKEN}`, `/p?ref=${REDACTED}`],
    ['/users?email=a%40b.example&password=x&limit=5', `/users?email=${REDACTED}&password=${REDACTED}&limit=5`],
    [
      '/ceremonies/2b1c7a9e-6c1d-4d55-9d7f-0a4e7c2b1f00/bookings?format=csv&limit=5',
      '/ceremonies/2b1c7a9e-6c1d-4d55-9d7f-0a4e7c2b1f00/bookings?format=csv&limit=5',
    ],
  ])('should log %s as %s', (url, expected) => {
    expect(redactPath(url)).toBe(expected);
  });
});

describe('redactTokens', () => {
  it('should redact a token and a token-named value in free text, and in an error message and stack', () => {
    expect(redactTokens(`Route GET:/bookings/manage/${TOKEN}x/qr not found; token=abc`)).toBe(
      `Route GET:/bookings/manage/${REDACTED}/qr not found; token=${REDACTED}`,
    );
    const sut = redactError(new Error(`lookup of ${TOKEN} failed`));
    expect(JSON.stringify(sut)).not.toContain(TOKEN);
    expect(sut.message).toBe(`lookup of ${REDACTED} failed`);
  });
});
