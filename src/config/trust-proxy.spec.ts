import { trustProxyOf } from './app.config';

describe('TRUST_PROXY', () => {
  it('should trust no hop when unset, empty, "false" or "0"', () => {
    for (const value of [undefined, '', 'false', '0', ' off ']) expect(trustProxyOf(value)).toBe(false);
  });

  it('should read a number as the count of proxies in front', () => {
    expect(trustProxyOf('1')).toBe(1);
    expect(trustProxyOf(' 2 ')).toBe(2);
  });

  it('should read a comma-separated list of addresses, CIDRs and proxy-addr range names', () => {
    expect(trustProxyOf('10.0.0.0/8, 192.168.1.5,::1,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('should refuse "true" (every hop believed) with a message that says what to set instead', () => {
    expect(() => trustProxyOf('true')).toThrow(/TRUST_PROXY=true would believe any X-Forwarded-For.*TRUST_PROXY=1/);
    expect(() => trustProxyOf('yes')).toThrow(/TRUST_PROXY/);
  });

  it('should refuse entries that are neither an address nor a CIDR, naming them', () => {
    expect(() => trustProxyOf('10.0.0.0/33')).toThrow(/not understood: 10\.0\.0\.0\/33/);
    expect(() => trustProxyOf('proxy.internal, 10.0.0.1')).toThrow(/not understood: proxy\.internal/);
    expect(() => trustProxyOf('1.2.3.4/8/9')).toThrow(/not understood/);
  });
});
