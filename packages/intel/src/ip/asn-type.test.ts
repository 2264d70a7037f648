import { beforeAll, describe, expect, it } from 'vitest';
import { asnDataSnapshot, AsnTypes, curatedAsns, parseAsnList, typeFromOrgName } from './asn-type.js';
import { asnRangesV4 } from './test-support/asn-ranges.js';

let types: AsnTypes;
let orgs: Map<number, string>;
beforeAll(() => {
  types = AsnTypes.load();
  orgs = new Map(asnRangesV4().map((r) => [r[2], r[3]]));
});
const typeOf = (asn: number) => types.of(asn, orgs.get(asn) ?? null);

describe('AS types', () => {
  it('types the well-known hosting providers, carriers and ISPs', () => {
    for (const asn of [20473, 16276, 24940, 60068, 14061, 63949, 51167, 60781]) expect(typeOf(asn), `AS${asn}`).toBe('hosting');
    for (const asn of [55836, 21928, 45609]) expect(typeOf(asn), `AS${asn}`).toBe('mobile');
    for (const asn of [7922, 2856, 9829, 2119, 20115, 7018, 3320, 25400]) expect(typeOf(asn), `AS${asn}`).toBe('isp');
    expect(types.sourceOf(7922)).toBe('curated');
  });

  it('names each curated AS as the ASN data does (a wrong number would show here)', () => {
    const words = (s: string) =>
      s
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z0-9 ]+/g, ' ')
        .split(/\s+/)
        .filter((w) => w.length >= 2);
    const seen = new Set<number>();
    for (const { asn, name } of curatedAsns) {
      expect(seen.has(asn), `AS${asn} twice`).toBe(false);
      seen.add(asn);
      const org = orgs.get(asn);
      if (org === undefined) continue; // not announced over IPv4 in this snapshot
      const said = new Set(words(org));
      // The words outside the parentheses (which add a brand or a note) must meet the data's name.
      expect(
        words(name.replace(/\(.*?\)/g, '')).some((w) => said.has(w)),
        `AS${asn} "${name}" is "${org}" in the data`,
      ).toBe(true);
    }
  });

  it("believes X4BNet's datacenter and VPN ASN lists, except where the curated table or a university's name says otherwise", () => {
    expect(parseAsnList('AS123 # x\n# comment\nAS45 # y\n\n')).toEqual([123, 45]);
    expect(typeOf(8100)).toBe('hosting'); // QuadraNet, X4BNet only
    expect(types.sourceOf(8100)).toBe('x4bnet_datacenter_asn');
    expect(typeOf(209854)).toBe('hosting'); // Surfshark, X4BNet's VPN list
    expect(types.sourceOf(209854)).toBe('x4bnet_vpn_asn');
    expect(typeOf(36290)).toBe('isp'); // The Cable of St. Kitts: in X4BNet's list, an access network
    expect(typeOf(327942)).toBe('education'); // Landmark University: in X4BNet's list, a university
  });

  it('reads the organisation name when no list types the AS', () => {
    expect(typeFromOrgName('Hostinger International Limited')).toBe('hosting');
    expect(typeFromOrgName('Shanghai Blue Cloud Technology Co.,Ltd')).toBe('hosting');
    expect(typeFromOrgName('CHINANET SiChuan Telecom Internet Data Center')).toBe('hosting');
    expect(typeFromOrgName('Free Mobile SAS')).toBe('mobile');
    expect(typeFromOrgName('JAB Wireless, INC.')).toBe('mobile');
    expect(typeFromOrgName('Universidade Federal do Rio Grande do Sul')).toBe('education');
    expect(typeFromOrgName('University of California, San Diego')).toBe('education');
    expect(typeFromOrgName('Windstream Communications LLC')).toBe('isp');
    expect(typeFromOrgName('A1 Telekom Austria AG')).toBe('isp');
    expect(typeFromOrgName('Wave Broadband')).toBe('isp');
    expect(typeFromOrgName('Bank of America, National Association')).toBe('business');
    expect(typeFromOrgName('Ghostly Pastry Ltd')).toBeNull();
    expect(typeFromOrgName('Apple Inc.')).toBeNull();
    expect(typeOf(7029)).toBe('isp');
    expect(types.sourceOf(7029)).toBe('org_name');
  });

  it('says nothing of transit carriers (their customers are everything) and of ASes it cannot read', () => {
    for (const asn of [174, 3356, 1299]) expect(typeOf(asn), `AS${asn}`).toBeNull();
    expect(types.of(4_200_000_000, null)).toBeNull();
  });

  it('knows the date of the ASN data, which decides which lists yield to it', () => {
    expect(asnDataSnapshot()).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(types.snapshot).toBe(asnDataSnapshot());
  });
});
